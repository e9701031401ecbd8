"""Playwright steps for the browser journey (tests/browser, written by the lead).

Not collected as tests here: two sync Playwright instances cannot run in one process, and
tests/browser owns the browser fixture. Import these from a test in tests/browser:

    from tests.mobilizing.browser_steps import answer_pulse_link, drag_stakeholder

Selectors (stable; see the mobilizing report):
- grid:    `#stakeholder-grid` / `[data-testid="stakeholder-grid"]`
- cells:   `[data-testid="grid-cell-<influence 1-3>-<support 1-5>"]` (id `cell-<i>-<s>`)
- cards:   `#stakeholder-<id>` (`[data-testid="stakeholder-card"][data-name="<name>"]`);
           drag it by its heading `[data-testid="stakeholder-handle"]` (the card also holds
           a small form, whose selects would swallow a drag started on them)
- no-drag: selects labelled "Influence of <name>" / "Support of <name>", button "Move"
           (`[data-testid="move-submit"]`), link "Edit" (`[data-testid="stakeholder-edit"]`)
- status:  `#grid-status` (role=status); `data-state` is "pending" during the request, then
           "ok" or "error" (e.g. a conflicting concurrent edit, refused with a message)
- answer:  each question `[data-testid="pulse-question"]` with radios `input[value="1".."5"]`,
           submit `#pulse-submit`, thank-you `[data-testid="pulse-thanks"]`, and for a
           used/closed/unknown link `[data-testid="public-message"]`.
"""


def drag_stakeholder(page, stakeholder_id: int, influence: int, support: int) -> None:
    """Drag a card to a cell and wait for the server's answer in the status line."""
    handle = page.locator(f'#stakeholder-{stakeholder_id} [data-testid="stakeholder-handle"]')
    handle.drag_to(page.locator(f'[data-testid="grid-cell-{influence}-{support}"]'))
    # The status line is "pending" while the server answers, then "ok" or "error".
    page.locator('#grid-status:is([data-state="ok"], [data-state="error"])').wait_for()


def move_with_form(page, name: str, influence_label: str, support_label: str) -> None:
    """The same move without dragging: the card's own small form."""
    page.get_by_label(f"Influence of {name}").select_option(label=influence_label)
    page.get_by_label(f"Support of {name}").select_option(label=support_label)
    card = page.locator(f'[data-testid="stakeholder-card"][data-name="{name}"]')
    card.get_by_role("button", name="Move").click()


def answer_pulse_link(page, token: str, value: int = 4) -> None:
    """Open a pulse link (no login), answer every question with `value`, send."""
    page.goto(f"/pulse/{token}/")
    questions = page.locator('[data-testid="pulse-question"]')
    for i in range(questions.count()):
        questions.nth(i).locator(f'input[type=radio][value="{value}"]').check()
    page.locator("#pulse-submit").click()
    page.locator('[data-testid="pulse-thanks"]').wait_for()
