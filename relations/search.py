"""Site search: PostgreSQL's full-text search, or SQLite's FTS5 index.

Both find what visitors see of a published page (relationships, areas of
action, offices, the agreements and organizations a page lists) in one
language, rank the matches in one query, hand that query to Django's
Paginator and then fetch only the page's objects, with a snippet whose
matches are in <mark>. A page costs the same number of queries however many
results match. Words such as "the" or "les" alone find nothing.

On SQLite the text is kept in an FTS5 table (search_document, one row per
object, a column per weight and language), written on every save and delete
(index(), connected in apps.py) and rebuilt whole after `migrate` or by
`manage.py rebuild_search_index` (after bulk_create or QuerySet.update,
which send no signal). See docs/decisions/0006-sqlite-fts5-search.md.
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
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import (
    Expression,
    F,
    Func,
    IntegerField,
    TextField,
    Value,
)
from django.db.models.functions import NullIf
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import (
    LANGUAGES,
    Agreement,
    Organization,
    Relationship,
    RelationshipAgreement,
    RelationshipOrganization,
    Topic,
)

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
    # A field may be a related one: "agreement__name".
    fields: dict
    snippet_fields: tuple
    html_fields: frozenset = frozenset()
    related: tuple = ()
    # Other models whose text this source's rows show, with the lookup from
    # a row to one of them: a change of that object changes the row's text.
    shows: tuple = ()

    def text(self, obj, field, language):
        """Return the text of `field` in `language`, rich text as plain lines."""
        *path, name = field.split("__")
        for step in path:
            obj = getattr(obj, step)
        text = getattr(obj, f"{name}_{language}") or ""
        return text_of_html(text) if field in self.html_fields else text

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
        # An office: what it is and where, not the page that lists it.
        return Result(
            str(obj),
            obj.get_absolute_url(),
            snippet,
            f"{obj.get_kind_display()}, {obj.city}",
            archived=obj.is_archived(),
        )


@dataclass(frozen=True)
class Listed(Source):
    """The agreements or organizations a page lists: found by their names,
    each leading to the section of the page that lists it."""

    listing: str = ""

    def published(self):
        """Only where a page shows the list: in a section that lists them."""
        pages = Relationship.objects.visible().filter(topics__listing=self.listing)
        return self.model.objects.filter(relationship__in=pages)

    def result(self, obj, snippet):
        page = obj.relationship
        url = page.get_absolute_url()
        for topic in page.topics.all():
            if topic.listing == self.listing:
                url = f"{url}#{topic.anchor}"
                break
        return Result(
            str(obj.item), url, snippet, page.title, archived=page.is_archived()
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
AGREEMENTS = Listed(
    kind=3,
    model=RelationshipAgreement,
    fields={"A": ("agreement__name",)},
    snippet_fields=(),
    related=("relationship", "agreement"),
    shows=((Agreement, "agreement"),),
    listing=Topic.Listing.AGREEMENTS,
)
ORGANIZATIONS = Listed(
    kind=4,
    model=RelationshipOrganization,
    fields={"A": ("organization__name",)},
    snippet_fields=(),
    related=("relationship", "organization"),
    shows=((Organization, "organization"),),
    listing=Topic.Listing.ORGANIZATIONS,
)
# Other apps add theirs (consulates: its offices) when Django starts.
SOURCES = [RELATIONSHIPS, TOPICS, AGREEMENTS, ORGANIZATIONS]
SOURCES_BY_KIND = {source.kind: source for source in SOURCES}


def register(source):
    """Let the search find `source`'s content too."""
    if source.kind in SOURCES_BY_KIND:
        raise ValueError(f"A search source of kind {source.kind} exists.")
    SOURCES.append(source)
    SOURCES_BY_KIND[source.kind] = source
    watch(source)


def watch(source):
    """Keep SQLite's index up to date with `source`'s rows and what they show."""
    for model in (source.model, *(model for model, _lookup in source.shows)):
        label = model._meta.label
        post_save.connect(index_saved, sender=model, dispatch_uid=f"{label}-indexed")
        post_delete.connect(
            unindex_deleted, sender=model, dispatch_uid=f"{label}-unindexed"
        )


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
    engine = FullTextSearch if connection.vendor == "postgresql" else IndexedSearch
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
        self.matches = matches  # (sql, params), or None when nothing can match
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
            sql, params = self.matches
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
        """Return one query of every match as (source, id, rank) rows: its
        SQL and parameters, or None if nothing can match."""
        parts, params = [], []
        for n, source in enumerate(SOURCES):
            part = (
                self.match(source)
                .annotate(source=Value(source.kind, output_field=IntegerField()))
                .order_by()
                .values_list("source", "id", "rank")
            )
            sql, part_params = part.query.sql_with_params()
            # By name: the ORM may put an annotation's column before a field's,
            # and UNION matches columns by position.
            parts.append(f'SELECT "source", "id", "rank" FROM ({sql}) AS "part{n}"')
            params += part_params
        return " UNION ALL ".join(parts), params

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
            if isinstance(source, Listed):
                # Where on its page each is listed (Listed.result).
                objects = objects.prefetch_related("relationship__topics")
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
        # The site's list of common words, not only the configuration's
        # (PostgreSQL's French one keeps "le"); the rest as typed, so quotes
        # and "-word" still mean what websearch says.
        self.terms = " ".join(
            term
            for term in query.split()
            if fold(term).strip("\"'-") not in STOP_WORDS[language]
        )
        self.search_query = SearchQuery(
            self.terms, config=self.config, search_type="websearch"
        )

    def matches(self):
        return super().matches() if WORD.search(self.terms) else None

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
        if not source.snippet_fields:
            return {obj.pk: (obj, "") for obj in objects}
        texts = []
        for field in source.snippet_fields:
            text = F(self.column(field))
            if field in source.html_fields:
                # A line per block (text_of_html), then the tags out.
                text = Func(
                    text,
                    Value(BLOCK_END),
                    Value("\n"),
                    Value("gi"),
                    function="regexp_replace",
                    output_field=TextField(),
                )
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


class IndexedSearch(Search):
    """SQLite: FTS5's index of every source's text (search_document), each
    word of the query the start of a word of the text, accents and case
    aside, ranked by BM25 with the sources' weights.

    No stemming: "agreement" finds "agreements", not the reverse.
    """

    def __init__(self, query, language):
        super().__init__(query, language)
        self.words = [
            word
            for word in dict.fromkeys(WORD.findall(fold(query)))
            if word not in STOP_WORDS[language]
        ]

    def matches(self):
        if not self.words:
            return None
        columns = " ".join(index_column(w, self.language) for w in WEIGHTS)
        # Each word quoted: FTS5's operators (AND, NEAR, *) are text here.
        # Folded as the index's text is (index()).
        wanted = " ".join(f'"{word}"*' for word in self.words)
        visible, params = [], []
        for source in SOURCES:
            sql, source_params = source.published().values("pk").query.sql_with_params()
            visible.append(f"(kind = %s AND object_id IN ({sql}))")
            params += [source.kind, *source_params]
        # BM25's weight of each column, in the table's order (index_columns).
        points = [str(POINTS[w]) for _language in LANGUAGES for w in WEIGHTS]
        weights = ", ".join(["0", "0", *points])
        sql = (
            f"SELECT kind AS source, object_id AS id, "
            f"-bm25({INDEX}, {weights}) AS rank "
            f"FROM {INDEX} WHERE {INDEX} MATCH %s AND ({' OR '.join(visible)})"
        )
        return sql, [f"{{{columns}}} : ({wanted})", *params]

    def snippets(self, source, objects):
        snippets = {}
        for obj in objects:
            texts = [
                readable(source.text(obj, field, self.language))
                for field in source.snippet_fields
            ]
            text = " · ".join(text for text in texts if text)
            snippets[obj.pk] = (obj, marked(excerpt(text, self.words)))
        return snippets


# The index on SQLite (IndexedSearch): a row per object of every source,
# rowid = object id * ROWID_KINDS + source kind.
INDEX = "search_document"
WEIGHTS = ("A", "B", "C")
POINTS = {"A": 10, "B": 2, "C": 1}
ROWID_KINDS = 8


def index_column(weight, language):
    return f"{weight.lower()}_{language}"


def index_columns():
    return [index_column(w, language) for language in LANGUAGES for w in WEIGHTS]


def create_index(connection):
    """Create SQLite's search index (a migration does, on SQLite only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX} USING fts5("
            f"kind UNINDEXED, object_id UNINDEXED, {', '.join(index_columns())}, "
            # Accents and case folded; words of two and three letters kept
            # apart, so that a query of a word's start stays quick.
            f"tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
        )


def indexed(using=DEFAULT_DB_ALIAS):
    return connections[using].vendor == "sqlite"


def index(source, objects, using=DEFAULT_DB_ALIAS):
    """Write the text of `objects` (rows of `source.model`) to the index."""
    rows = []
    for obj in objects:
        # Folded here, as queries are (fold): FTS5's own tokenizer leaves
        # "ß", "œ" and "ﬁ" as they are.
        texts = [
            fold("\n".join(source.text(obj, field, language) for field in fields))
            for language in LANGUAGES
            for fields in (source.fields.get(w, ()) for w in WEIGHTS)
        ]
        rows.append([obj.pk * ROWID_KINDS + source.kind, source.kind, obj.pk, *texts])
    if rows:
        marks = ", ".join(["%s"] * (3 + len(index_columns())))
        with connections[using].cursor() as cursor:
            cursor.executemany(
                f"INSERT OR REPLACE INTO {INDEX} "
                f"(rowid, kind, object_id, {', '.join(index_columns())}) "
                f"VALUES ({marks})",
                rows,
            )


def unindex(source, pks, using=DEFAULT_DB_ALIAS):
    with connections[using].cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {INDEX} WHERE rowid = %s",
            [[pk * ROWID_KINDS + source.kind] for pk in pks],
        )


def rebuild_index(using=DEFAULT_DB_ALIAS):
    """Write every source's text to the index afresh; return how many rows."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {INDEX}")
    count = 0
    for source in SOURCES:
        objects = source.model._default_manager.using(using).order_by("pk")
        if source.related:
            objects = objects.select_related(*source.related)
        for start in range(0, objects.count(), 1000):
            batch = list(objects[start : start + 1000])
            index(source, batch, using)
            count += len(batch)
    return count


def index_saved(sender, instance, using, **kwargs):
    """On SQLite, write a saved object's text to the index, with that of the
    rows that show its text (post_save, connected in apps.py)."""
    if not indexed(using):
        return
    for source in SOURCES:
        if isinstance(instance, source.model):
            index(source, [instance], using)
        for model, lookup in source.shows:
            if isinstance(instance, model):
                rows = source.model._default_manager.using(using)
                index(source, rows.filter(**{lookup: instance}), using)


def unindex_deleted(sender, instance, using, **kwargs):
    """On SQLite, take a deleted object out of the index (post_delete); the
    rows deleted with it by cascade send their own."""
    if not indexed(using):
        return
    for source in SOURCES:
        if isinstance(instance, source.model):
            unindex(source, [instance.pk], using)


def rebuild_after_migrate(using, **kwargs):
    """Fill the index after `migrate` (post_migrate), if its migration ran."""
    if indexed(using) and INDEX in connections[using].introspection.table_names():
        rebuild_index(using)


# Words too common to find anything by (PostgreSQL's text-search
# configurations have their own lists): alone, they find nothing.
STOP_WORDS = {
    "en": frozenset(
        "a an and are as at be but by for from has have in is it its of on or "
        "that the this to was were will with".split()
    ),
    "fr": frozenset(
        "a au aux avec ce ces d dans de des du en est et il elle l la le les "
        "leur leurs mais ne ou par pas pour qu que qui s sa se ses son sur un "
        "une y".split()
    ),
}

# Where a block of rich text ends: a list item, a paragraph, a heading.
BLOCK_END = r"</(?:p|li|h[1-6]|blockquote|ul|ol)>|<br\s*/?>"


def text_of_html(text):
    """Return sanitised rich text as plain text, a line per block."""
    text = re.sub(BLOCK_END, "\n", text, flags=re.IGNORECASE)
    return html.unescape(re.sub(TAG, " ", text))


def fold(text):
    """Return `text` without accents, case-folded, ligatures apart: "États"
    gives "etats", "Straße" "strasse", "cœur" "coeur", "ﬁn" "fin"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold().translate(LIGATURES)


# Letters NFKD leaves whole.
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l"})


# Spaces and line breaks, not the no-break spaces French puts before a colon.
BREAKING_SPACE = re.compile(r"[ \t\n\r\f\v]+")


@functools.lru_cache(maxsize=4096)
def fold_character(character):
    return fold(character)


def readable(text, from_html=False):
    """Return snippet text on one line: lines (blocks of rich text) become
    " · ", entities characters."""
    if from_html:
        text = html.unescape(text)
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
    characters = [fold_character(character) for character in text]
    folded = "".join(characters)
    if len(folded) == len(text):
        # Each character folded to one: positions are the text's.
        origin = range(len(text))
    else:
        origin = [
            position
            for position, folded_character in enumerate(characters)
            for _ in folded_character
        ]
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
