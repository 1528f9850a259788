from django import template
from django.utils import timezone

from salaries import errors, selectors
from salaries.charts import pay_chart
from salaries.models import WntMaximum
from salaries.pay import TableSet, member_pay
from tmgportal import fragments, versions

register = template.Library()


@register.filter
def rule_message(exc) -> str:
    """A missing amount or other rule violation as the Dutch sentence a user reads."""
    return errors.message_for(exc)


@register.inclusion_tag("salaries/includes/pay_summary.html", takes_context=True)
def pay_summary(context, member):
    """Current pay, the placements and the chart of monthly pay, for the member page."""
    today = timezone.localdate()
    pay = member_pay(member, TableSet.current())
    span = pay.history_range(today)
    return {
        "member": member,
        "pay": pay,
        "today_pay": pay.on(today),
        "chart": pay_chart(selectors.monthly_rates(member, *span, today=today) if span else []),
        "can": context.get("can"),
    }


@register.inclusion_tag("salaries/includes/wnt_summary.html", takes_context=True)
def wnt_summary(context):
    """The WNT section of the dashboard: this year's members above or near the maximum, read once
    per change of the stored pay for everyone with the same scope (tmgportal.fragments)."""
    user = context["request"].user

    def build():
        year = timezone.localdate().year
        years = selectors.wnt_years(user, year)
        return {
            "year": year,
            "has_maximum": WntMaximum.objects.filter(year=year).exists(),
            "above": list(years.filter(is_above=True)),
            "near": list(years.filter(is_near=True)),
        }

    return fragments.cached("wnt-summary", user=user, stamps=(versions.PAY,), build=build) | {
        "can": context.get("can")
    }


@register.inclusion_tag("salaries/includes/reference_status.html", takes_context=True)
def reference_status(context):
    """The state of the pay tables for today, on the start page of ABD staff and the administrator;
    read once per change of the tables (and per day)."""

    def build():
        statuses = selectors.reference_status(timezone.localdate())
        return {"statuses": statuses, "problems": sum(1 for s in statuses if s.problems)}

    return fragments.cached(
        "reference-status", user=context["request"].user, stamps=(versions.PAY,), build=build
    )
