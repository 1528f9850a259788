"""A second term regime [VPS]: the Flemish top-executive mandates as a value plus a
module, the dossier machinery choosing the regime from the function, a comparison page, and a tiny
fictitious third regime (here only) that proves docs/regimes.md."""

import csv
import io
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from appointments import regimes, rules, services, steps
from appointments.deadlines import dossier_dates
from appointments.regimes import Course, Moment, flemish, tmg
from tests.content import text_of
from tests.factories import FunctionFactory, MemberFactory, approved_extension

START = date(2020, 3, 1)


# -- The Flemish rules, Django-free ---------------------------------------------------------------


def test_a_flemish_mandate_is_6_years_renewable_twice_to_18_in_all():
    course = flemish.REGIME.course(START)
    assert course.first_end == rules.Cited(date(2026, 3, 1), "[VPS art. V 2, V 15]")
    assert [m.when.value for m in course.moments] == [date(2026, 3, 1), date(2032, 3, 1)]
    assert {m.label for m in course.moments} == {"evaluation"}
    assert course.latest_end.value == date(2038, 3, 1)
    assert course.after.value == "return_to_grade"


def test_the_tmg_course_is_the_tmg_rules():
    course = tmg.REGIME.course(START)
    assert (course.first_end.value, course.latest_end.value) == (date(2027, 3, 1), date(2029, 3, 1))
    assert [(m.label, m.when.value) for m in course.moments] == [
        ("minimum_aim", date(2024, 3, 1)),
        ("conversation", date(2025, 3, 1)),
    ]
    assert course.after.value == "search_period"


def renew(n, *, evaluation=True, motivation="", proposed=None):
    current = date(2026 + 6 * n, 3, 1)
    return flemish.REGIME.validate_renewal(
        start=START,
        current_end=current,
        proposed_end=proposed or rules.add_years(current, 6),
        renewals_so_far=n,
        evaluation_positive=evaluation,
        motivation=motivation,
    )


def test_renewal_needs_a_positive_evaluation_and_the_third_mandate_its_conditions():
    assert renew(0).value == date(2032, 3, 1)
    for evaluation in (None, False):
        with pytest.raises(flemish.NoPositiveEvaluation):
            renew(0, evaluation=evaluation)
    with pytest.raises(flemish.ConditionsNotRecorded):
        renew(1)
    assert renew(1, motivation="Onmisbaar voor de hervorming").value == date(2038, 3, 1)
    with pytest.raises(flemish.NoFurtherRenewal):
        renew(2, motivation="Nogmaals")
    with pytest.raises(flemish.RenewalTooLong):
        renew(0, proposed=date(2032, 3, 2))


@given(
    start=st.dates(date(2000, 1, 1), date(2040, 12, 31)),
    steps=st.lists(st.tuples(st.integers(1, 4000), st.booleans(), st.booleans()), max_size=5),
)
def test_never_more_than_18_years_in_one_mandate_function_and_no_renewal_without_a_positive_evaluation(
    start, steps
):
    """Whatever renewals are asked for, those accepted keep the mandate within 18 years, and none is
    accepted without a positive evaluation [VPS]."""
    end = flemish.REGIME.course(start).first_end.value
    renewals = 0
    for days, positive, motivated in steps:
        proposed = end + timedelta(days=days)
        try:
            end = flemish.REGIME.validate_renewal(
                start=start,
                current_end=end,
                proposed_end=proposed,
                renewals_so_far=renewals,
                evaluation_positive=positive,
                motivation="voorwaarden" if motivated else "",
            ).value
        except rules.RuleViolation:
            continue
        assert positive, "accepted without a positive evaluation"
        renewals += 1
    assert end <= rules.add_years(start, 18)
    assert renewals <= 2


# -- The dossier machinery under the regime of its function ---------------------------------------


def career(abd_user, office_x, ministry_x, regime_key):
    """A dossier from appointment to its end, through the services, under `regime_key`."""
    function = FunctionFactory(ministry=ministry_x, regime=regime_key)
    appointment = services.appointment_create(
        user=abd_user, member=MemberFactory(), function=function, start_date=START
    )
    with time_machine.travel(date(2020, 2, 1), tick=False):
        appointment = services.appointment_propose(
            user=abd_user, appointment=appointment, proposal_date=date(2019, 12, 1)
        )
        appointment = services.appointment_record_council(
            user=abd_user, appointment=appointment, council_date=date(2020, 1, 10)
        )
        appointment = services.appointment_record_kb(
            user=abd_user, appointment=appointment, kb_date=date(2020, 1, 20), kb_number=f"KB-{regime_key}"
        )
    with time_machine.travel(START, tick=False):
        appointment = services.appointment_take_office(user=abd_user, appointment=appointment)
    return appointment


@pytest.mark.django_db
@pytest.mark.today(date(2025, 11, 1))
def test_a_flemish_dossier_runs_on_the_same_screens_with_its_own_marks(
    abd_user, office_x, ministry_x, abd_client
):
    appointment = career(abd_user, office_x, ministry_x, "vlaams")
    assert appointment.term_end == date(2026, 3, 1), "a mandate of 6 years, not a TMG term of 7"
    dates = [(str(d.label), d.value) for d in dossier_dates(appointment)]
    assert [value for label, value in dates if label == "Evaluatie aan het einde van het mandaat"] == [
        date(2026, 3, 1),
        date(2032, 3, 1),
    ]
    assert ("Uiterst mogelijke einde (18 jaar in de functie)", date(2038, 3, 1)) in dates
    assert not any("na 5 jaar" in label for label, _ in dates)

    page = abd_client.get(reverse("appointments:appointment_detail", args=[appointment.pk])).text
    assert "Vlaamse topkader-mandaten" in page and "[VPS art. V 2, V 15]" in page
    assert "Eindevaluatie vastleggen" in page and "5-jaarsgesprek vastleggen" not in page
    dashboard = abd_client.get(reverse("appointments:dashboard")).context["deadlines"]
    assert [str(d.kind_label) for d in dashboard if d.appointment.pk == appointment.pk] == [
        "Evaluatie aan het einde van het mandaat",
        "Termijn eindigt",
    ]

    # No renewal without the evaluation; after a positive one, the office decides as for the TMG.
    with pytest.raises(ValidationError, match="positieve eindevaluatie"):
        approved_extension(appointment, proposer=abd_user, office=office_x, proposed_end=date(2032, 3, 1))
    services.conversation_record(
        user=abd_user, appointment=appointment, held_on=date(2025, 10, 1), outcome="extend"
    )
    extension = approved_extension(
        appointment, proposer=abd_user, office=office_x, proposed_end=date(2032, 3, 1)
    )
    assert extension.status == "approved"


@pytest.mark.django_db
@pytest.mark.today(date(2026, 6, 1))
def test_after_a_flemish_mandate_no_search_period_and_after_a_tmg_term_one(
    abd_user, office_x, ministry_x, abd_client
):
    flemish_dossier = services.appointment_end(
        user=abd_user, appointment=career(abd_user, office_x, ministry_x, "vlaams")
    )
    page = abd_client.get(reverse("appointments:appointment_detail", args=[flemish_dossier.pk])).text
    assert (
        reverse("appointments:appointment_action", args=[flemish_dossier.pk, "zoektermijn-starten"])
        not in page
    )
    with pytest.raises(ValidationError, match="geen zoektermijn"):
        services.search_period_start(user=abd_user, appointment=flemish_dossier)


# -- The comparison page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_comparison_shows_both_regimes_for_any_start_with_sources_and_as_csv(abd_client):
    page = abd_client.get(reverse("appointments:regime_comparison"), {"start": "2020-03-01"}).text
    for text in (
        "28 februari 2027",
        "28 februari 2029",
        "28 februari 2026",
        "28 februari 2038",
        "[VPS art. V 2, V 15]",
    ):
        assert text in page, text
    assert "Terugkeer naar de graad" in page and "Zoektermijn van 24 maanden" in page
    rows = list(
        csv.reader(
            io.StringIO(
                abd_client.get(
                    reverse("appointments:regime_comparison_export"), {"start": "2020-03-01"}
                ).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert rows[0][:3] == ["Vraag", "TMG", "Vlaamse topkader-mandaten"]
    latest = next(row for row in rows if row[0].startswith("Uiterst mogelijke einde"))
    assert latest[1:3] == ["28 februari 2029", "28 februari 2038"]
    refused = abd_client.get(reverse("appointments:regime_comparison"), {"start": "2020-02-31"})
    assert refused.status_code == 400 and "Voer een geldige datum in." in refused.text


# -- A third regime, in the tests only: what docs/regimes.md says is enough ------------------------


@dataclass(frozen=True)
class ProefRegime:
    """A fictitious regime: one term of 4 years, never renewed, nothing after."""

    key: str = "proef"
    figures: rules.TermRegime = rules.TermRegime(
        name="Proefregime",
        max_term_years=4,
        minimum_aim_years=None,
        conversation_after_years=3,
        max_extension_years=0,
        max_total_years=4,
        search_period_months=None,
        shortened_search_period_months=None,
        shortening_request_window_months=None,
        shortening_payment_months=None,
        ww_supplement_percentage=None,
        max_renewals=0,
    )
    steering_moment: str = "conversation"

    @property
    def name(self):
        return self.figures.name

    def course(self, start):
        end = rules.Cited(rules.add_years(start, 4), "[proef 1]")
        return Course(
            self.key,
            self.name,
            start,
            end,
            (Moment("conversation", rules.Cited(rules.add_years(start, 3), "[proef 2]")),),
            end,
            rules.Cited("return_to_grade", "[proef 3]"),
        )

    def validate_renewal(self, **kwargs):
        raise rules.ExtensionNotAllowed(
            "never", years=0, total=4, current=kwargs["current_end"], latest=kwargs["current_end"]
        )

    def may_renew(self, **kwargs):
        return False

    def moment_falls_in_term(self, moment, term_end):
        return moment < term_end


@pytest.fixture
def third_regime(monkeypatch):
    known = regimes._registry()
    monkeypatch.setattr(regimes, "_registry", lambda: {**known, "proef": ProefRegime()})


@pytest.mark.django_db
@pytest.mark.today(date(2022, 6, 1))
def test_a_third_regime_added_as_the_docs_say_runs_the_same_machinery(
    third_regime, abd_user, office_x, ministry_x, abd_client
):
    appointment = career(abd_user, office_x, ministry_x, "proef")
    assert appointment.term_end == date(2024, 3, 1)
    page = abd_client.get(reverse("appointments:appointment_detail", args=[appointment.pk])).text
    assert "[proef 2]" in page and "Proefregime" in page
    assert (
        reverse("appointments:appointment_action", args=[appointment.pk, "verlenging-voorstellen"])
        not in page
    )
    comparison = abd_client.get(reverse("appointments:regime_comparison"), {"start": "2020-03-01"}).text
    assert "Proefregime" in comparison and "[proef 3]" in comparison


@pytest.mark.django_db
@pytest.mark.today(date(2025, 11, 1))
def test_the_mandate_regime_speaks_of_mandates_and_cites_legal_texts_only(
    abd_user, office_x, ministry_x, abd_client
):
    appointment = career(abd_user, office_x, ministry_x, "vlaams")
    detail = text_of(abd_client.get(reverse("appointments:appointment_detail", args=[appointment.pk])))
    evaluation = text_of(
        abd_client.get(reverse("appointments:appointment_action", args=[appointment.pk, "gesprek"]))
    )
    for page in (detail, evaluation):
        assert "domain §" not in page and "domein §" not in page and "[issue" not in page
    assert "Eindevaluatie vastleggen" in detail and "VPS art. V 2, V 15" in detail
    assert "positief: verlenging van het mandaat voorstellen" in evaluation and "5 jaar" not in evaluation
    services.conversation_record(
        user=abd_user, appointment=appointment, held_on=date(2025, 10, 1), outcome="extend", notes="Goed"
    )
    renewal = text_of(
        abd_client.get(
            reverse("appointments:appointment_action", args=[appointment.pk, "verlenging-voorstellen"])
        )
    )
    assert "Verlenging van het mandaat voorstellen" in renewal and "verlengde mandaat" in renewal
    assert "ten hoogste 6 jaar, tot ten hoogste 18 jaar" in renewal
    assert "9 jaar" not in renewal and "2 jaar" not in renewal and "Nadere regels" not in renewal


# -- A regime with a search period of its own: its figures, not TMG's, run the search period ---------

ZOEKPROEF = tmg.TmgRegime(
    key="zoekproef",
    figures=replace(
        rules.TMG,
        name="Zoekproefregime",
        search_period_months=12,
        shortened_search_period_months=9,
        shortening_request_window_months=2,
        shortening_payment_months=3,
    ),
)


@pytest.fixture
def search_period_regime(monkeypatch):
    known = regimes._registry()
    monkeypatch.setattr(regimes, "_registry", lambda: {**known, "zoekproef": ZOEKPROEF})


@pytest.mark.django_db
@pytest.mark.today(date(2027, 4, 15))
def test_a_regime_with_its_own_search_period_sets_its_months_window_payment_and_words(
    search_period_regime, abd_user, office_x, ministry_x, abd_client
):
    appointment = career(abd_user, office_x, ministry_x, "zoekproef")
    with time_machine.travel(date(2027, 3, 1), tick=False):
        appointment = services.appointment_end(user=abd_user, appointment=appointment)
        period = services.search_period_start(user=abd_user, appointment=appointment)
    assert (period.start, period.end) == (date(2027, 3, 1), date(2028, 3, 1)), "12 months, not 24"
    page = text_of(abd_client.get(reverse("appointments:appointment_detail", args=[appointment.pk])))
    assert "Zoektermijn eindigt (12 maanden)" in page

    # Six weeks in: outside TMG's first month, inside this regime's two.
    period = services.search_period_shorten(
        user=abd_user,
        search_period=period,
        requested_on=date(2027, 4, 15),
        monthly_income=Decimal("10000.00"),
    )
    assert period.end == date(2027, 12, 1) and period.shortening_payment == Decimal("30000.00")
    appointment.refresh_from_db()
    page = text_of(abd_client.get(reverse("appointments:appointment_detail", args=[appointment.pk])))
    assert "Zoektermijn eindigt (9 maanden, verkort)" in page and "24 maanden" not in page
    with translation.override("nl"):
        assert str(steps.done_message("zoektermijn-verkorten", appointment)).startswith(
            "Zoektermijn verkort tot 9 maanden"
        )
    assert "Zoektermijn verkort tot 9 maanden" in period.history.latest().history_change_reason
    comparison = text_of(abd_client.get(reverse("appointments:regime_comparison"), {"start": "2020-03-01"}))
    assert "Zoektermijn van 12 maanden (9 op verzoek van het lid binnen 2 maand(en)" in comparison
