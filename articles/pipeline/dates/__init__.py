"""Date expressions in English news sentences, resolved against the report's publication date.

A pure package: no Django, no database. ``find_dates`` is called once per sentence, so the
words around a mention (its tense, read by ``tense``) can decide which way a bare weekday
points. By concern: ``patterns`` finds candidates, ``matchers`` resolves each kind with the
calendar rules of ``rules``, ``finding`` keeps the longest and anchors reported statements,
``periods`` names the spans a mention can take, ``explaining`` says why in words.

How it works: compiled regular expressions find the candidates (weekdays, month names with an
optional day or year, ISO dates, ranges, "this/next/last/earlier this/later this" + week, month,
quarter or year, weekends, quarters, "in 2024"...). Explicit calendar dates ("Oct. 9",
"9 October 2025", "2025-10-09") are parsed by ``dateparser.parse`` with the publication date
as ``RELATIVE_BASE`` (cached per candidate and publication date); everything relative is plain
datetime arithmetic, which is clearer than coaxing dateparser. We never run dateparser's
``search_dates`` over whole texts: it is slow and finds dates in "100%" or "H-6K".

The reading rules, chosen for newsroom English and kept deliberately simple:

* Month and day without a year ("November 10") take the publication year, or the adjacent
  year when that date is nearer to publication ("January 5" in a report of 20 December is
  next January; "December 28" in a report of 3 January is last December). Nearness only
  decides within about three months of publication: a day further off in every year follows
  the tense (past → the latest such day before publication, future → the next one after;
  "since" counts as past, "by/until/through" as future) and otherwise stays in the
  publication year ("announced on April 2" in an October report is this April, not next).
  "Nov. 10 of this year" / "May of last year" is one mention in the year named.
  Christmas (Eve, Day), New Year's Day and Eve and Thanksgiving (US: the fourth Thursday of
  November) are such days; a bare "Christmas"/"Thanksgiving" needs a date context ("before").
* A bare month ("since April", "in May") is a month in the publication year, except: "since"
  and "this past" mean the latest such month on or before the publication month; "last" the
  latest strictly before it; "next"/"coming" the first strictly after it. For the other
  prepositions the sentence's tense decides (past → on or before the publication month, future
  → on or after); with no tense cue, "in" reads as past (the common case in reports) and the
  rest take the publication year. "early/mid/late May" and "the start/end of May" narrow the
  span to the first/middle/last ten days, but the precision stays "month" ("end-October" too).
  "the first/second/third/fourth week of November" is days 1–7/8–14/15–21/22–28 ("week").
* Weekdays: "this Thursday" is the first Thursday on or after publication (or, in a past-tense
  sentence, the Thursday of the publication's week if it has already passed). "next Thursday"
  is the Thursday of the week (Monday–Sunday) after the publication's week: from a Monday that
  is ten days on, from a Friday or Saturday it is the coming Thursday. "last Thursday" is the
  most recent Thursday strictly before publication. A bare weekday ("on Sunday", "Thursday")
  follows the tense of its own clause, else of the sentence: past → the most recent such day
  on or before publication, future → the first on or after it; with no cue, whichever of the
  two is nearer (ties: past), except that an event's possessive ("Thursday's deal") is then
  the past one. Its own clause stops before a clause that follows it, so "held a call on
  Tuesday to prepare for talks" and "posted on Wednesday that the meeting would go ahead"
  are past; a modal perfect ("would have lapsed") is past.
  "on Friday and Saturday" (consecutive days; any two after "to"/"-") is one span from the first.
* Weeks run Monday–Sunday (ISO 8601). A report published on a Saturday or Sunday means by
  "this week" the week that ends with it ("agreed this week" happened days before), unless
  the clause speaks of the future ("will meet this week") or says "later this week": then
  the coming week. "earlier this week" is always the week containing publication, from its
  Monday to the day before publication.
* "over the weekend" (and "the weekend") is the weekend before publication, or the one under
  way when the report appears on a Saturday or Sunday, unless its own clause is in the future
  tense ("talks will continue over the weekend"); "this weekend" follows the tense, and with no
  cue the nearer weekend; "last weekend" is the one strictly before publication; "next weekend"
  is the weekend of the following week.
* Ranges are one span: "from May 12 to August 12", "between April and June", "May 12-14",
  "Oct. 31–Nov. 1" — except after a verb of change ("extended from August 12 to November
  10" names two dates, found one by one). "Q3", "the third quarter (of 2024)", "the first
  half of 2026" and "H2" are quarters and half-years (a half-year has "year" precision); with
  no year they take the publication year, moved a year by a clear tense when that quarter or
  half lies on the wrong side of publication ("in the first half", "the first six months of
  the year" too). "by year-end", "end-2025" are "by the end of the year": its last four months.
  "today", "yesterday", "tomorrow", "the day after tomorrow", "three days from now", "in two
  weeks' time" and "three days/months/years ago" are relative to publication too ("two weeks
  ago" is a day, 14 days back); "two days before the Nov. 10 deadline" counts from that day.
* A reported statement with its own day anchors the relative dates it reports: in "X said on
  Friday that/he …" (or "… said in a statement on Friday that …") what follows, and in
  "…, X said on Friday." (or "…, a spokesman told a briefing on Friday.") what comes
  before the comma, count from that Friday: "tomorrow", "next month", "earlier this month".
  Verbs of saying include reported, wrote, posted, tweeted and told/briefed someone; up to
  about six words of a phrase (no clause) may come between the verb and the day. A day that
  dates something else ("Officials met on Thursday and said …") anchors nothing.
* Durations are not dates: "for one year", "90 days", "the next year" (with "the": a span of
  time), "the past several years", "in the coming months", "recent weeks" are skipped, and so
  are "may"/"march" as verbs: "May" and "March" (like April, June and August, which are also
  names) count as months only in a date context (a preposition, a day or year, "the May truce",
  "May's").
* A date beyond the calendar ("last year" in a report of 5 January of year 1, "next month"
  in one of 20 December 9999) is left unresolved: the words are no mention, and no shorter
  date inside them ("January" of "January 5") is read instead.

>>> from datetime import date
>>> monday = date(2025, 10, 27)
>>> [(m.text, str(m.date_start)) for m in find_dates("Talks were held on Sunday.", monday)]
[('on Sunday', '2025-10-26')]
>>> [m.text for m in find_dates("The deal may be signed since tariffs rose 100%.", monday)]
[]
>>> explain(find_dates("Xi and Trump meet this Thursday.", monday)[0], monday)
'this Thursday → Thu 30 Oct 2025, relative to publication on Mon 27 Oct 2025'
>>> explain(find_dates("Tensions have simmered since April.", monday)[0], monday)
'since April → April 2025 (month), publication year'
>>> explain(find_dates("The talks over the weekend went well.", monday)[0], monday)
'over the weekend → Sat 25 – Sun 26 Oct 2025, the weekend before publication on Mon 27 Oct 2025'
>>> m = find_dates("The truce ran from May 12 to August 12.", monday)[0]
>>> m.text, str(m.date_start), str(m.date_end), m.precision
('from May 12 to August 12', '2025-05-12', '2025-08-12', 'day')
"""

from .context import Context, Known
from .explaining import explain
from .finding import find_dates
from .match import MAX_MENTION_CHARS, DateMatch

__all__ = ["Context", "DateMatch", "Known", "MAX_MENTION_CHARS", "find_dates", "explain"]
