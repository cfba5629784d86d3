"""Site search: full-text search on PostgreSQL, a simpler match on SQLite.

Both find published relationships, areas of action and offices in one
language, rank them in one query, hand that query to Django's Paginator and
then fetch only the page's objects, with a snippet whose matches are in
<mark>. A page costs the same number of queries however many results match.
"""

import functools
import html
import operator
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Case,
    Expression,
    F,
    Func,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import NullIf
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Relationship, Topic

RESULTS_PER_PAGE = 10
# Beyond any real result, and keeps OFFSET within a 64-bit integer.
LAST_PAGE = 100_000

# Sanitised rich text (relations.richtext): a tag, quoted attributes included.
TAG = r"""<(?:[^>"']|"[^"]*"|'[^']*')*>"""

# Around each match in a snippet; private-use characters, which editors' text
# does not contain, so the snippet can be escaped before <mark> goes in.
START, STOP = "\ue000", "\ue001"
MARKED = re.compile(f"{START}(.*?){STOP}", re.S)
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    snippet: str  # safe HTML: escaped text and <mark>
    # The relationship page the result is part of, if it is not that page.
    context: str = ""
    # Archived content keeps its page, with Canada.ca's archived notice.
    archived: bool = False


@dataclass(frozen=True)
class Source:
    """A kind of content the search finds, and where its text is."""

    kind: int  # also orders results of equal rank
    model: type
    # Translated fields by weight: a match in "A" ranks above "B", above "C".
    fields: dict
    snippet_fields: tuple
    html_fields: frozenset = frozenset()
    related: tuple = ()

    def published(self):
        """Return what visitors can find: published, or archived (labelled)."""
        relationships = Relationship.objects.visible()
        if self.model is Relationship:
            return relationships
        rows = self.model.objects.all()
        if hasattr(rows, "visible"):
            rows = rows.visible()
        return rows.filter(relationship__in=relationships)

    def result(self, obj, snippet):
        if self.model is Relationship:
            return Result(
                obj.title, obj.get_absolute_url(), snippet, archived=obj.is_archived()
            )
        page = obj.relationship
        if self.model is Topic:
            url = f"{page.get_absolute_url()}#{obj.anchor}"
            return Result(
                obj.title, url, snippet, page.title, archived=page.is_archived()
            )
        return Result(
            str(obj),
            obj.get_absolute_url(),
            snippet,
            page.title,
            archived=obj.is_archived(),
        )


RELATIONSHIPS = Source(
    kind=0,
    model=Relationship,
    fields={"A": ("title", "partner_name"), "B": ("summary",)},
    snippet_fields=("summary",),
)
TOPICS = Source(
    kind=1,
    model=Topic,
    fields={"A": ("title",), "B": ("body",)},
    snippet_fields=("body",),
    html_fields=frozenset({"body"}),
    related=("relationship",),
)
# Other apps add theirs (consulates: its offices) when Django starts.
SOURCES = [RELATIONSHIPS, TOPICS]
SOURCES_BY_KIND = {source.kind: source for source in SOURCES}


def register(source):
    """Let the search find `source`'s content too."""
    if source.kind in SOURCES_BY_KIND:
        raise ValueError(f"A search source of kind {source.kind} exists.")
    SOURCES.append(source)
    SOURCES_BY_KIND[source.kind] = source


def find(query, language, page_number=None):
    """Return page `page_number` of the published content matching `query`.

    Only text in `language` is searched. A page number that is not a number
    or is below 1 gives the first page, one past the end the last. The
    page's items are Results.
    """
    try:
        page_number = min(max(int(page_number), 1), LAST_PAGE)
    except (TypeError, ValueError):
        page_number = 1
    engine = FullTextSearch if connection.vendor == "postgresql" else SimpleSearch
    search = engine(query, language)
    matches = RankedMatches(search.matches(), page_number)
    page = Paginator(matches, RESULTS_PER_PAGE).get_page(page_number)
    with translation.override(language):
        page.object_list = search.results(page.object_list)
    return page


class RankedMatches:
    """The matches, best first, as (source, id, rank) rows for Paginator.

    One query returns a page of rows and, beside them, how many match
    (COUNT(*) OVER ()): ranking reads every match anyway, and a separate
    count would read them all again. Paginator asks for the count first, so
    that query fetches the page asked for; a page past the end costs two more.
    """

    def __init__(self, matches, page_number):
        self.matches = matches  # None when nothing can match
        self.page_number = page_number
        self.total = None
        self.fetched = None

    def count(self):
        if self.total is None:
            start = (self.page_number - 1) * RESULTS_PER_PAGE
            self.fetch(start, start + RESULTS_PER_PAGE)
            if self.total is None:
                self.fetch(0, RESULTS_PER_PAGE)
        return self.total

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        if self.fetched:
            fetched_start, fetched_stop, rows = self.fetched
            at_end = fetched_start + len(rows) < fetched_stop
            if start >= fetched_start and (stop <= fetched_stop or at_end):
                return rows[start - fetched_start : stop - fetched_start]
        return self.fetch(start, stop)

    def fetch(self, start, stop):
        rows = []
        if self.matches is not None and stop > start:
            sql, params = self.matches.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(
                    f'SELECT "source", "id", "rank", COUNT(*) OVER () '
                    f'FROM ({sql}) AS "matches" '
                    f'ORDER BY "rank" DESC, "source", "id" LIMIT %s OFFSET %s',
                    [*params, stop - start, start],
                )
                rows = cursor.fetchall()
        if rows:
            self.total = rows[0][3]
        elif start == 0:
            self.total = 0
        rows = [row[:3] for row in rows]
        self.fetched = (start, stop, rows)
        return rows


class Search:
    """Rank matches as (source, id, rank) rows, then build the page's results."""

    def __init__(self, query, language):
        self.query = query
        self.language = language

    def column(self, field):
        return f"{field}_{self.language}"

    def match(self, source):
        """Return `source`'s published matches, annotated with `rank`."""
        raise NotImplementedError

    def snippets(self, source, objects):
        """Return {pk: (object, snippet)} for `objects`, snippets marked."""
        raise NotImplementedError

    def matches(self):
        """Return one query of every match as (source, id, rank) rows."""
        parts = [
            self.match(source)
            .annotate(source=Value(source.kind, output_field=IntegerField()))
            .order_by()
            .values_list("source", "id", "rank")
            for source in SOURCES
        ]
        first, *others = parts
        return first.union(*others, all=True).order_by()

    def results(self, rows):
        """Return the Result of each (source, id, rank) row, in order."""
        rows = list(rows)
        found = {}
        for source in SOURCES:
            ids = [pk for kind, pk, _rank in rows if kind == source.kind]
            if not ids:
                continue
            objects = source.published().filter(pk__in=ids)
            if source.related:
                objects = objects.select_related(*source.related)
            found[source.kind] = self.snippets(source, objects)
        # Something unpublished since the ranking query is left out.
        return [
            SOURCES_BY_KIND[kind].result(*found[kind][pk])
            for kind, pk, _rank in rows
            if pk in found[kind]
        ]


class StoredVector(Expression):
    """A tsvector column that a migration added beside the model's fields."""

    output_field = SearchVectorField()

    def __init__(self, column):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.query.get_initial_alias()
        return f"{compiler.quote_name(table)}.{compiler.quote_name(self.column)}", []


class FullTextSearch(Search):
    """PostgreSQL: stemmed, accent-folded words, ranked by ts_rank."""

    configurations = {"en": "english_unaccent", "fr": "french_unaccent"}
    # A summary is short: show it whole. A body is long: show the parts around
    # the matches. Other lines (an office's) are short: fragments would drop
    # the words after the last match.
    headline_options = {
        RELATIONSHIPS.kind: {"highlight_all": True},
        TOPICS.kind: {"max_words": 35, "min_words": 15, "max_fragments": 2},
    }
    short_lines = {"max_words": 35, "min_words": 15}

    def __init__(self, query, language):
        super().__init__(query, language)
        self.config = self.configurations[language]
        self.search_query = SearchQuery(
            query, config=self.config, search_type="websearch"
        )

    def vector(self, source):
        # Must stay what the migrations index (relations 0005, consulates 0004).
        if source is TOPICS:
            return StoredVector(self.column("search"))
        return functools.reduce(
            operator.add,
            (
                SearchVector(
                    *map(self.column, fields), config=self.config, weight=weight
                )
                for weight, fields in source.fields.items()
            ),
        )

    def match(self, source):
        return (
            source.published()
            .alias(vector=self.vector(source))
            .filter(vector=self.search_query)
            .annotate(rank=SearchRank(F("vector"), self.search_query))
        )

    def snippets(self, source, objects):
        texts = []
        for field in source.snippet_fields:
            text = F(self.column(field))
            if field in source.html_fields:
                text = Func(
                    text,
                    Value(TAG),
                    Value(" "),
                    Value("g"),
                    function="regexp_replace",
                    output_field=TextField(),
                )
            texts.append(NullIf(text, Value("")))
        # One line a field: readable() shows them separated by " · ".
        text = Func(Value("\n"), *texts, function="concat_ws", output_field=TextField())
        options = self.headline_options.get(source.kind, self.short_lines)
        objects = objects.annotate(
            snippet=SearchHeadline(
                text,
                self.search_query,
                config=self.config,
                start_sel=START,
                stop_sel=STOP,
                fragment_delimiter=" … ",
                **options,
            )
        )
        from_html = bool(source.html_fields)
        return {
            obj.pk: (obj, marked(readable(obj.snippet or "", from_html)))
            for obj in objects
        }


class Words(Func):
    """SQLite: the text's words, folded, each after a space (see `words`)."""

    function = "search_words"
    output_field = TextField()


class WordsOfHTML(Words):
    function = "search_words_html"


class SimpleSearch(Search):
    """SQLite: each word of the query starts a word of the text, accents and
    case aside.

    No stemming: "agreement" finds "agreements", not the reverse. A word in
    an "A" field (a title) scores 10, in a "B" field 2, in a "C" field 1.
    """

    points = {"A": 10, "B": 2, "C": 1}

    def __init__(self, query, language):
        super().__init__(query, language)
        self.words = list(dict.fromkeys(WORD.findall(fold(query))))
        connection.ensure_connection()
        # Registered on each use: a signal would miss a connection opened
        # before this module was imported.
        connection.connection.create_function(
            "search_words", 1, words, deterministic=True
        )
        connection.connection.create_function(
            "search_words_html", 1, words_of_html, deterministic=True
        )

    def matches(self):
        return super().matches() if self.words else None

    def match(self, source):
        objects = source.published().alias(
            **{
                f"words_{field}": (
                    WordsOfHTML if field in source.html_fields else Words
                )(F(self.column(field)))
                for fields in source.fields.values()
                for field in fields
            }
        )

        def found(word, fields):
            return functools.reduce(
                operator.or_,
                (Q(**{f"words_{field}__contains": f" {word}"}) for field in fields),
            )

        everywhere = [field for fields in source.fields.values() for field in fields]
        for word in self.words:
            objects = objects.filter(found(word, everywhere))
        rank = sum(
            Case(
                *(
                    When(found(word, fields), then=Value(self.points[weight]))
                    for weight, fields in source.fields.items()
                ),
                default=Value(0),
            )
            for word in self.words
        )
        return objects.annotate(rank=rank)

    def snippets(self, source, objects):
        snippets = {}
        for obj in objects:
            texts = []
            for field in source.snippet_fields:
                text = getattr(obj, self.column(field)) or ""
                if field in source.html_fields:
                    text = re.sub(TAG, " ", text)
                texts.append(readable(text, field in source.html_fields))
            text = " · ".join(text for text in texts if text)
            snippets[obj.pk] = (obj, marked(excerpt(text, self.words)))
        return snippets


def fold(text):
    """Return `text` without accents and case-folded: "États" gives "etats"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text):
    """Return the folded words of `text`, each after a space: " etats unis"."""
    if text is None:
        return None
    return "".join(f" {word}" for word in WORD.findall(fold(text)))


def words_of_html(text):
    """Return the folded words of sanitised HTML, tags left out."""
    if text is None:
        return None
    return words(html.unescape(re.sub(TAG, " ", text)))


# Spaces and line breaks, not the no-break spaces French puts before a colon.
BREAKING_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def readable(text, from_html=False):
    """Return snippet text on one line: lines become " · ", entities characters."""
    if from_html:
        return BREAKING_SPACE.sub(" ", html.unescape(text)).strip()
    lines = (BREAKING_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return " · ".join(line for line in lines if line)


def marked(text):
    """Return `text` as safe HTML, escaped, its START…STOP spans in <mark>."""
    parts = MARKED.split(text)
    return mark_safe(
        "".join(
            (f"<mark>{escape(clean)}</mark>" if n % 2 else escape(clean))
            for n, part in enumerate(parts)
            if (clean := part.replace(START, "").replace(STOP, ""))
        )
    )


def excerpt(text, query_words, length=220):
    """Return about `length` characters of `text` around the first query word,
    each word of the text that starts with one (accents and case aside)
    between START and STOP."""
    text = text.replace(START, "").replace(STOP, "")
    folded, origin = [], []
    for position, character in enumerate(text):
        for folded_character in fold(character):
            folded.append(folded_character)
            origin.append(position)
    folded = "".join(folded)
    spans = sorted(
        (origin[found.start()], origin[found.end() - 1] + 1)
        for word in query_words
        for found in re.finditer(rf"(?<!\w){re.escape(word)}", folded)
    )
    start = 0
    if spans and spans[0][0] > length // 3:
        # Start at a word, about a third of the length before the first match.
        start = spans[0][0] - length // 3
        space = text.find(" ", start, spans[0][0])
        if space >= 0:
            start = space + 1
    end = len(text)
    if end - start > length:
        end = text.rfind(" ", start + 1, start + length)
        if end < 0:
            end = start + length
        if spans:
            end = max(end, spans[0][1])
    pieces, position = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, position), min(span_end, end)
        if span_start >= span_end:
            continue
        pieces += [text[position:span_start], START, text[span_start:span_end], STOP]
        position = span_end
    pieces.append(text[position:end])
    excerpt = "".join(pieces).strip(" ·")
    return "".join(["… " if start else "", excerpt, " …" if end < len(text) else ""])
