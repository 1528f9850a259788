from . import roles


def role(request):
    current = roles.role_of(request.user)
    return {
        "tmg_role": current,
        "is_abd_staff": current == roles.ABD_STAFF,
        "is_minister_office": current == roles.MINISTER_OFFICE,
    }
