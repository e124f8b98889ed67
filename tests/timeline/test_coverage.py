"""The coverage grid leads from each count to the quotes it counts."""

import re

from .test_views import page


def test_each_reported_cell_leads_to_that_outlets_quotes_on_the_event_page(seeded, client):
    table = page(client, "/coverage/").find("table", cls="coverage")
    cells = table.find("tbody").find_all("td", cls="hit")
    assert len(cells) == 21  # the non-empty cells of the seed grid (see test_views)
    events = {}
    for td in cells:
        [link] = td.find_all("a")
        href = link.attrs["href"]
        match = re.fullmatch(r"(/events/[\w-]+/)#(outlet-[\w-]+)", href)
        assert match, href
        url, anchor = match.groups()
        if url not in events:
            events[url] = page(client, url)
        group = events[url].by_id(anchor)
        assert group is not None, f"{href}: no element with that id"
        assert group.tag == "section" and "outlet-group" in group.classes
        # The count in the cell is the number of quotes it leads to, from the outlet named.
        count = int(re.match(r"\d+", link.words())[0])
        assert len(group.find_all("blockquote")) == count, href
        outlet = link.find("span", cls="visually-hidden").words().split(" from ", 1)[1]
        assert group.find("h3").words().startswith(outlet), href


def test_a_cell_no_outlet_reported_leads_nowhere(seeded, client):
    table = page(client, "/coverage/").find("table", cls="coverage")
    misses = table.find_all("td", cls="miss")
    assert misses
    assert all(td.find("a") is None for td in misses)


def test_the_grid_comes_a_page_of_events_at_a_time_in_the_same_queries(
    seeded, client, monkeypatch, django_assert_num_queries
):
    import timeline.views

    def grid(query=""):
        html = page(client, "/coverage/" + query)
        rows = html.find("table", cls="coverage").find("tbody").find_all("tr")
        return html, [(r.find("th").words(), r.words()) for r in rows]

    whole, every = grid()
    assert whole.find("nav", cls="pager") is None and len(every) > 4
    monkeypatch.setattr(timeline.views, "COVERAGE_EVENTS_PER_PAGE", 4)
    first, rows = grid()
    assert rows == every[:4]
    assert f"Events 1–4 of {len(every)}" in first.find("nav", cls="pager").words()
    [later] = first.find("nav", cls="pager").find_all("a")
    assert later.attrs["href"] == "?page=2" and later.attrs["rel"] == "next"
    pages = -(-len(every) // 4)
    seen = list(rows)
    for n in range(2, pages + 1):
        seen += grid(f"?page={n}")[1]
    # Every event once, with the same counts as on one long page.
    assert seen == every
    # Four queries on any page: the count, the page's events, the outlets, their counts.
    with django_assert_num_queries(4):
        client.get("/coverage/?page=2")
