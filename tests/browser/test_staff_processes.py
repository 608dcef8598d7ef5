"""A member of staff runs processes in Chromium, on a desktop and on a phone, with axe-core on every
page: creating a process with its phases and themes and editing it; defining a theme of the
municipality's own, then recording a world café's outcome and finding it in the process's records."""
from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import activate, check_axe
from tests.browser.test_journeys import notice, sign_in_on_page
from tests.support import new_process, staff_of


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def day(offset: int) -> str:
    return (date.today() + timedelta(days=offset)).isoformat()


def console(page, gateway: str, staff) -> None:
    """Signed in as `staff`, on the console's Processes section (reached from its menu)."""
    page.goto(f"{gateway}/login?lang=en&next=/m/idrija/staff")  # the account speaks Slovene
    sign_in_on_page(page, staff.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff console")
    check_axe(page)
    activate(page.get_by_role("navigation", name="Staff console").get_by_role("link", name="Processes"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Processes")
    check_axe(page)


def phase(page, number: int, code: str, starts: int, ends: int) -> None:
    row = page.get_by_role("group", name=f"Phase {number}", exact=True)
    row.get_by_label("Phase", exact=True).select_option(code)
    row.get_by_label("Starts on").fill(day(starts))
    row.get_by_label("Ends on").fill(day(ends))


def test_staff_create_a_process_with_phases_and_themes_and_edit_it(gateway, page):
    staff = staff_of(gateway)
    console(page, gateway, staff)
    activate(page.get_by_role("link", name="New process"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New process")
    check_axe(page)
    title = f"Vključujoča Idrija {uuid.uuid4().hex[:6]}"
    page.get_by_label("Title in Slovenščina").fill(title)
    page.get_by_label("Title in English").fill(f"Inclusive Idrija {title[-6:]}")
    phase(page, 1, "focus_groups", -3, 10)
    phase(page, 2, "vote", 5, 20)  # overlaps the first: refused at its start date
    activate(page.get_by_role("checkbox", name=re.compile("^Housing")))
    activate(page.get_by_role("button", name="Create the process"))
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    start = page.get_by_role("group", name="Phase 2", exact=True).get_by_label("Starts on")
    expect(start).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Title in Slovenščina")).to_have_value(title)
    check_axe(page)
    start.fill(day(11))
    activate(page.get_by_role("button", name="Create the process"))
    expect(notice(page, "The process was created.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Inclusive Idrija {title[-6:]}")
    expect(page.get_by_role("row", name=re.compile("Focus groups"))).to_be_visible()
    check_axe(page)

    activate(page.get_by_role("link", name="Edit the process"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit the process")
    check_axe(page)
    page.get_by_label("Title in English").fill(f"Idrija for everyone {title[-6:]}")
    activate(page.get_by_role("checkbox", name=re.compile("^Culture and leisure")))
    activate(page.get_by_role("button", name="Save the changes"))
    expect(notice(page, "Your changes were saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Idrija for everyone {title[-6:]}")
    expect(page.get_by_role("row", name=re.compile("Culture and leisure"))).to_be_visible()
    check_axe(page)
    activate(page.get_by_role("link", name="Public page"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Idrija for everyone {title[-6:]}")


def test_staff_add_a_theme_and_record_a_world_cafe(gateway, page):
    staff = staff_of(gateway)
    process = new_process(staff, title={"sl": "Preizkusni proces", "en": f"World café test {uuid.uuid4().hex[:6]}"},
                          themes=["housing", "education"],
                          phases=[{"code": "workshops", "starts_on": day(-5), "ends_on": day(30)}])
    console(page, gateway, staff)
    activate(page.get_by_role("link", name="Themes").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes")
    check_axe(page)
    name = f"Neighbourhoods {uuid.uuid4().hex[:4]}"
    page.get_by_label("Name in Slovenščina").fill(f"Soseske {name[-4:]}")
    page.get_by_label("Name in English").fill(name)
    activate(page.get_by_label("Municipal", exact=True))
    activate(page.get_by_role("button", name="Define the theme"))
    expect(notice(page, "was defined")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(f"Soseske {name[-4:]}|{name}"))).to_be_visible()
    check_axe(page)

    page.goto(f"{gateway}/m/idrija/staff/processes/{process['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(process["title"]["en"])
    check_axe(page)
    activate(page.get_by_role("link", name="Record workshop input").first)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record workshop input")
    check_axe(page)
    activate(page.get_by_label("World café"))
    page.get_by_label("Facilitator").fill("Mestna knjižnica Idrija")
    page.get_by_label("Held on").fill(day(-2))
    page.get_by_label("Participants").fill("26")
    activate(page.get_by_role("checkbox", name="Slovenščina"))
    activate(page.get_by_role("checkbox", name="Українська"))
    outcome = f"A meeting place in the old town {uuid.uuid4().hex[:4]}"
    page.get_by_label("Title", exact=True).fill(outcome)
    page.get_by_label("Summary").fill("A room open every evening where newcomers and neighbours meet.")
    page.get_by_label("Language it is written in").select_option("en")
    page.get_by_label("Theme", exact=True).select_option("housing")
    activate(page.get_by_role("button", name="Record and publish"))
    expect(notice(page, "was recorded and published")).to_be_visible()
    expect(page.get_by_label("Facilitator")).to_have_value("Mestna knjižnica Idrija")
    check_axe(page)
    activate(page.get_by_role("link", name="All workshop records of the process"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Workshop records")
    expect(page.get_by_role("row", name=re.compile(outcome))).to_contain_text("World café")
    check_axe(page)
