#!/usr/bin/env python3
"""Deterministic generator of realistic iWmo 3.2 and iJw 3.2 message corpora (benchmarks, tests).

Usage:
  gen_corpus.py --out DIR [--messages N] [--seed S] [--kind validate|history]
                [--standard wmo|jw|mixed] [--requests] [--invalid-rate R] [--force]

--standard wmo (default) writes iWmo messages (WMOnnn), jw iJw messages (JWnnn: Jeugd product
categories of JZ020, RedenBeeindiging of JZ588, clients under 18, a parent or guardian as Relatie
on most JW301s), mixed half of each. --requests adds request traffic: in the validate kind
315/317/319 next to the other types (mix 15/25/20/20/10/5/5 %: 301/305/307/323/315/317/319), in
the history kind half the histories start with a 315, some answered "in onderzoek" by a 319,
and the 301 honours it (its ReferentieAanbieder). Without --standard and --requests the output
is byte for byte what it was before the iJw types existed (the benchmarks' reference corpora).
Directories and file names carry the type as WMO301 or JW301.

--kind validate (default)
    A mix of WMO301/305/307/323 (20/30/25/25 %), one message per file:
    DIR/WMO301/<Identificatie>.xml, DIR/WMO305/..., DIR/WMO307/..., DIR/WMO323/...
    Every message is XSD-valid against its standard's schemas and passes the in-message
    (level-2) rules: it is clean traffic (tests/cli/bench_corpus_test.py checks it).
    With --invalid-rate R (0 <= R <= 1, default 0) about that fraction of the messages is
    made deliberately XSD-invalid (still well-formed XML); their paths (relative to DIR)
    are listed in DIR/invalid.txt.

--kind history
    Consistent per-allocation histories for ledger benchmarks, one client and one
    allocation per history:
      301 (allocation) -> 305 (start) -> 307 (pause, reden 20) -> 305 (restart)
      -> optionally 307 (definitive stop, about half of the histories)
    Histories are interleaved by Dagtekening. Files are flat in DIR and named
    NNNNNN-WMOnnn-<Afzender>-<Identificatie>.xml (JWnnn for iJw) so that sorted path order is processing
    order (and causal order within every history). Exactly N messages are written; the
    last history may be cut short (a prefix of a history is still consistent).
    Identificatie is unique per (Afzender, BerichtCode) -- in fact globally unique.

The same arguments always give byte-identical files (fixed seed, no hash-order or clock
dependence). Output is UTF-8 without BOM, CR/LF line ends, tab indentation, like the
published example messages. Python standard library only.

All dates lie in 2025, except that an allocation's Einddatum (301 ToegewezenProduct) may lie
after the 301's Dagtekening, possibly in 2026: real 301s carry allocations that are still
valid (OP087). Every date that a level-2 rule compares with the Dagtekening (TR134, TR137,
TR002) is on or before it; for a 323 the Dagtekening is in the month after the
DeclaratiePeriode.

A one-line summary (count per type, total bytes, time) is printed on stdout.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time

TYPES = ("301", "305", "307", "323")
REQUEST_TYPES = ("315", "317", "319")
MIX = {"301": 0.20, "305": 0.30, "307": 0.25, "323": 0.25}
# --requests: the same traffic with a request flow beside it (a 315 or 317 and its 319).
MIX_REQUESTS = {"301": 0.15, "305": 0.25, "307": 0.20, "323": 0.20,
                "315": 0.10, "317": 0.05, "319": 0.05}

NL = "\r\n"
D = dt.date
ONE = dt.timedelta(days=1)
Y2025 = D(2025, 1, 1)

# --------------------------------------------------------------------------- static data
GEMEENTEN = [
    # code, plaats, postcode range (numeric part)
    ("0363", "Amsterdam", 1011, 1109),
    ("0599", "Rotterdam", 3011, 3089),
    ("0518", "'s-Gravenhage", 2491, 2597),
    ("0344", "Utrecht", 3451, 3585),
    ("0772", "Eindhoven", 5611, 5658),
    ("0014", "Groningen", 9711, 9747),
    ("0268", "Nijmegen", 6511, 6546),
    ("0034", "Almere", 1311, 1363),
]

ACHTERNAMEN = [
    ("Jansen", None), ("Vries", "de"), ("Bakker", None), ("Visser", None), ("Smit", None),
    ("Meijer", None), ("Boer", "de"), ("Mulder", None), ("Groot", "de"), ("Bos", None),
    ("Vos", None), ("Peters", None), ("Hendriks", None), ("Leeuwen", "van"), ("Dekker", None),
    ("Brouwer", None), ("Wit", "de"), ("Dijkstra", None), ("Smits", None), ("Graaf", "de"),
    ("Berg", "van den"), ("Dijk", "van"), ("Wal", "van der"), ("Kok", None), ("Jacobs", None),
    ("Haan", "de"), ("Vermeulen", None), ("Heuvel", "van den"), ("Veen", "van der"),
    ("Broek", "van den"), ("Bruijn", "de"), ("Schouten", None), ("Beek", "van"),
    ("Willems", None), ("Vliet", "van"), ("Ven", "van de"), ("Hoekstra", None),
    ("Maas", None), ("Verhoeven", None), ("Koster", None), ("Prins", None), ("Huisman", None),
    ("Kuipers", None), ("Wijk", "van"), ("Yilmaz", None), ("El Amrani", None),
    ("Postma", None), ("Zwart", None), ("Kramer", None), ("Jong", "de"), ("Hermans", None),
]
VOORNAMEN_M = [
    "Jan", "Peter", "Kees", "Hendrik", "Willem", "Johannes", "Cornelis", "Gerrit", "Pieter",
    "Dirk", "Mohamed", "Ahmet", "Bram", "Sem", "Daan", "Lucas", "Henk", "Theo", "Ruud", "Frank",
]
VOORNAMEN_V = [
    "Maria", "Johanna", "Anna", "Cornelia", "Wilhelmina", "Elisabeth", "Geertruida", "Hendrika",
    "Fatima", "Emma", "Sophie", "Anouk", "Linda", "Ingrid", "Marieke", "Petra", "Saskia",
    "Annie", "Truus", "Ria",
]
STRATEN = [
    "Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat", "Stationsweg", "Julianastraat",
    "Beatrixlaan", "Wilhelminastraat", "Nieuwstraat", "Marktplein", "Parallelweg", "Lindelaan",
    "Eikenlaan", "Prins Bernhardlaan", "Emmastraat", "Oranjestraat", "Sportlaan", "Hoofdstraat",
    "Kastanjelaan", "Irenestraat", "Industrieweg", "Vondelstraat", "Rembrandtplein",
    "Van Goghstraat", "Populierenlaan", "Zuiderdiep", "Havenkade", "Burg. Visserlaan",
]
TALEN = ["Arabisch", "Turks", "Pools", "Tigrinya", "Engels", "Papiaments"]
COMMENTAREN = [
    "In overleg met client vastgesteld",
    "Herindicatie na evaluatie",
    "Zie beschikking voor details",
    "Spoedtoewijzing",
    "Verlenging conform keukentafelgesprek",
]

# Product categories 01..10 (WMO020) with weights; codes per category and tariff (cents/hour).
CATEGORIES = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"]
CAT_WEIGHTS = [26, 18, 14, 6, 5, 5, 8, 10, 4, 4]
REDEN_DEFINITIEF = ["19", "19", "19", "19", "23", "23", "21", "22", "02", "31", "36", "38", "39"]

# iJw 3.2: categories of JZ020 in use today (the "(2015)" ones and 55, national procurement,
# are left out) and the definitive RedenBeeindiging codes of JZ588 (31 = ended as planned).
JW_CATEGORIES = ["40", "41", "42", "43", "44", "45", "46", "47", "48", "50", "51", "52", "54"]
JW_CAT_WEIGHTS = [6, 8, 3, 6, 5, 30, 3, 3, 4, 6, 8, 10, 8]
JW_REDEN_DEFINITIEF = ["31", "31", "31", "31", "34", "34", "32", "33", "02", "35", "36", "38", "39"]


class Std:
    """What differs between the two standards in generated messages: namespaces and prefixes,
    BerichtCodes, product categories and RedenBeeindiging codes. The message classes are the
    same; a JW315/JW316 adds Client/GezagsdragerBekend."""

    def __init__(self, key, prefix, basis, ns, codes, categories, weights, reden, wrong_code):
        self.key = key                # "wmo" | "jw"
        self.prefix = prefix          # message prefix and directory/file name part: wmo301, WMO301
        self.basis = basis            # basisschema prefix
        self.basis_ns = "http://www.istandaarden.nl/%s/basisschema/schema" % ns
        self.msg_ns = "http://www.istandaarden.nl/%s/%s{n}/schema" % (ns, prefix)
        self.codes = codes            # BerichtCode per message type
        self.categories = categories
        self.weights = weights
        self.reden = reden            # definitive RedenBeeindiging codes (weighted by repetition)
        self.wrong_code = wrong_code  # a BerichtCode of the other standard (invalid variants)

    def name(self, n):
        return self.prefix.upper() + n


WMO = Std("wmo", "wmo", "iwmo", "iwmo/3_2",
          {"301": "414", "305": "418", "307": "420", "323": "484",
           "315": "444", "317": "480", "319": "482"},
          CATEGORIES, CAT_WEIGHTS, REDEN_DEFINITIEF, "436")
JW = Std("jw", "jw", "ijw", "ijw/3_2",
         {"301": "436", "305": "438", "307": "440", "323": "490",
          "315": "446", "317": "486", "319": "488"},
         JW_CATEGORIES, JW_CAT_WEIGHTS, JW_REDEN_DEFINITIEF, "414")
STANDARDS = {"wmo": (WMO,), "jw": (JW,), "mixed": (WMO, JW)}


def month_end(d):
    nxt = D(d.year + (d.month // 12), d.month % 12 + 1, 1)
    return nxt - ONE


def add_months(d, k):
    m = d.month - 1 + k
    return D(d.year + m // 12, m % 12 + 1, 1)


# --------------------------------------------------------------------------- XML writer
class Xml:
    """Minimal, fast line-based writer. p = message prefix (wmo301), q = basisschema prefix."""

    __slots__ = ("lines", "p", "q", "std", "ind")

    def __init__(self, n, std):
        self.std = std
        self.p = std.prefix + n
        self.q = std.basis
        self.lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<%s:Bericht xmlns:%s="%s" xmlns:%s="%s">' % (self.p, self.q, std.basis_ns, self.p,
                                                          std.msg_ns.format(n=n)),
        ]
        self.ind = 1

    def open(self, tag, basis=False):
        self.lines.append("%s<%s:%s>" % ("\t" * self.ind, self.q if basis else self.p, tag))
        self.ind += 1

    def close(self, tag, basis=False):
        self.ind -= 1
        self.lines.append("%s</%s:%s>" % ("\t" * self.ind, self.q if basis else self.p, tag))

    def el(self, tag, value):
        p = self.p
        self.lines.append("%s<%s:%s>%s</%s:%s>" % ("\t" * self.ind, p, tag, value, p, tag))

    def b(self, tag, value):
        q = self.q
        self.lines.append("%s<%s:%s>%s</%s:%s>" % ("\t" * self.ind, q, tag, value, q, tag))

    def text(self):
        self.lines.append("</%s:Bericht>" % self.p)
        self.lines.append("")
        return NL.join(self.lines)


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------- world
class Person:
    __slots__ = ("bsn", "geboortedatum", "geslacht", "achternaam", "voorvoegsel",
                 "partner", "voornamen", "voorletters", "gemeente", "straat", "huisnummer",
                 "huisletter", "postcode", "plaats", "telefoon")


class World:
    def __init__(self, rng, n_persons, n_young=0, jw=False):
        self.rng = rng
        self.used_bsn = set()
        # ~50 providers, each contracted by 1..4 municipalities.
        self.providers = []
        seen = set()
        while len(self.providers) < 50:
            agb = "%s%06d" % (rng.choice(("75", "98", "41")), rng.randint(0, 999999))
            if agb in seen:
                continue
            seen.add(agb)
            gems = sorted(rng.sample(range(len(GEMEENTEN)), rng.randint(1, 4)))
            self.providers.append((agb, [GEMEENTEN[i] for i in gems]))
        self.products = self.catalogue(CATEGORIES)
        self.persons = [self.new_person() for _ in range(n_persons)]
        self.nummer = 1000000 + rng.randint(0, 99999) * 10  # ToewijzingNummer counter
        # iJw: children and young people, and the Jeugd product lists. Drawn only when asked for,
        # after everything else, so that an iWmo corpus stays what it was before iJw existed.
        self.young = [self.new_person(young=True) for _ in range(n_young)]
        self.jw_products = self.catalogue(JW_CATEGORIES) if jw else {}

    def catalogue(self, categories):
        """Product codes per category (category + letter + two digits) with a tariff in cents."""
        rng = self.rng
        products = {}
        for cat in categories:
            letters = rng.sample("ABCDEFGH", 2)
            codes = []
            for letter in letters:
                for nn in rng.sample(range(1, 40), rng.randint(2, 4)):
                    code = "%s%s%02d" % (cat, letter, nn)
                    codes.append((code, rng.randrange(3500, 9000, 5)))
            codes.sort()
            products[cat] = codes
        return products

    def pool(self, std):
        """The clients of a standard: adults and elderly (Wmo), under 18 (Jeugdwet)."""
        return self.young if std is JW else self.persons

    def next_nummer(self):
        self.nummer += self.rng.randint(1, 7)
        return self.nummer

    def new_bsn(self):
        rng = self.rng
        while True:
            d = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
            s = sum(w * x for w, x in zip((9, 8, 7, 6, 5, 4, 3, 2), d))
            d9 = s % 11
            if d9 == 10:
                continue
            bsn = "".join(map(str, d)) + str(d9)
            if bsn in self.used_bsn:
                continue
            self.used_bsn.add(bsn)
            return bsn

    def new_person(self, young=False):
        rng = self.rng
        p = Person()
        p.bsn = self.new_bsn()
        if young:  # born 2007-2024: under 18 during 2025
            p.geboortedatum = D(2007, 1, 1) + dt.timedelta(days=rng.randint(0, 17 * 365))
        else:
            p.geboortedatum = D(1930, 1, 1) + dt.timedelta(days=rng.randint(0, 77 * 365))
        p.geslacht = rng.choice("1122120")[0]
        p.achternaam, p.voorvoegsel = rng.choice(ACHTERNAMEN)
        p.partner = rng.choice(ACHTERNAMEN) if not young and rng.random() < 0.15 else None
        pool = VOORNAMEN_M if p.geslacht == "1" else VOORNAMEN_V if p.geslacht == "2" else VOORNAMEN_M + VOORNAMEN_V
        names = [rng.choice(pool)] + ([rng.choice(pool)] if rng.random() < 0.4 else [])
        p.voornamen = " ".join(names)
        p.voorletters = "".join(n[0] for n in names)
        gem = rng.choice(GEMEENTEN)
        p.gemeente = gem
        p.straat = rng.choice(STRATEN)
        p.huisnummer = rng.randint(1, 250)
        p.huisletter = rng.choice("ABC") if rng.random() < 0.1 else None
        p.postcode = "%04d%s%s" % (rng.randint(gem[2], gem[3]),
                                   rng.choice("ABCDEGHJKLMNPRTVWXZ"), rng.choice("ABCDEGHJKLMNPRTVWXZ"))
        p.plaats = gem[1]
        p.telefoon = "06%08d" % rng.randint(10000000, 99999999) if rng.random() < 0.6 else None
        return p

    def product(self, cat=None, std=WMO):
        rng = self.rng
        if cat is None:
            cat = rng.choices(std.categories, std.weights)[0]
        code, tarief = rng.choice((self.jw_products if std is JW else self.products)[cat])
        return cat, code, tarief

    def distinct_cats(self, k, std=WMO):
        rng = self.rng
        cats = []
        while len(cats) < k:
            c = rng.choices(std.categories, std.weights)[0]
            if c not in cats:
                cats.append(c)
        return cats


# --------------------------------------------------------------------------- message parts
def header(x, n, afzender, ontvanger, ident, dagtekening):
    x.open("Header")
    x.el("BerichtCode", x.std.codes[n])
    x.el("BerichtVersie", "3")
    x.el("BerichtSubversie", "2")
    x.el("Afzender", afzender)
    x.el("Ontvanger", ontvanger)
    x.open("BerichtIdentificatie")
    x.b("Identificatie", ident)
    x.b("Dagtekening", dagtekening.isoformat())
    x.close("BerichtIdentificatie")
    x.open("XsdVersie")
    x.b("BasisschemaXsdVersie", "1.0.0")
    x.b("BerichtXsdVersie", "1.0.0")
    x.close("XsdVersie")
    x.close("Header")


def geslachtsnaam(x, tag, naam):
    achternaam, voorvoegsel = naam
    x.open(tag, True)
    x.b("Achternaam", xml_escape(achternaam))
    if voorvoegsel:
        x.b("Voorvoegsel", voorvoegsel)
    x.close(tag, True)


def client_basis(x, p, volledig, rng):
    x.el("Bsn", p.bsn)
    x.open("Geboortedatum")
    x.b("Datum", p.geboortedatum.isoformat())
    x.close("Geboortedatum")
    x.el("Geslacht", p.geslacht)
    x.open("Naam")
    geslachtsnaam(x, "Geslachtsnaam", (p.achternaam, p.voorvoegsel))
    if volledig and p.partner:
        geslachtsnaam(x, "Partnernaam", p.partner)
    x.b("Voornamen", p.voornamen)
    x.b("Voorletters", p.voorletters)
    if volledig:
        # CS050: no Partnernaam -> NaamGebruik 1; with Partnernaam 1..4.
        x.b("NaamGebruik", rng.choice("1234") if p.partner else "1")
    x.close("Naam")


def adres(x, p):
    x.open("Adres")
    x.open("Huis", True)
    x.b("Huisnummer", str(p.huisnummer))
    if p.huisletter:
        x.b("Huisletter", p.huisletter)
    x.close("Huis", True)
    x.b("Postcode", p.postcode)
    x.b("Straatnaam", p.straat)
    x.b("Plaatsnaam", xml_escape(p.plaats))
    x.b("LandCode", "NL")
    x.close("Adres")


def telefoon(x, nummer):
    x.open("Telefoon")
    x.open("Telefoon01", True)
    x.b("Telefoonnummer", nummer)
    x.b("Landnummer", "0031")
    x.close("Telefoon01", True)
    x.close("Telefoon")


def msg_301(w, ident, gemeente, agb, p, dagtekening, products, std=WMO):
    """products: list of dicts with nummer, [ref: the ReferentieAanbieder of the request it
    honours], cat, code|None, tdatum, ttijd, ingang, eind, omvang (volume, eenheid,
    frequentie)|None, budget|None, commentaar|None."""
    rng = w.rng
    x = Xml("301", std)
    header(x, "301", gemeente, agb, ident, dagtekening)
    x.open("Client")
    client_basis(x, p, True, rng)
    r = rng.random()
    if r < 0.04:  # CD007: Taal iff Vorm 1
        x.open("Communicatie")
        x.b("Vorm", "1")
        x.b("Taal", rng.choice(TALEN))
        x.close("Communicatie")
    elif r < 0.06:
        x.open("Communicatie")
        x.b("Vorm", rng.choice("23"))
        x.close("Communicatie")
    if rng.random() < 0.1:
        x.el("Commentaar", rng.choice(COMMENTAREN))
    if std is JW:
        relatie = rng.random() < 0.9
        soort = "10" if rng.random() < 0.85 else "11"  # the gezagsdrager: ouder or voogd
    else:
        relatie = rng.random() < 0.2
    if relatie:
        x.open("Relaties")
        x.open("Relatie")
        x.el("Nummer", str(rng.randint(1, 99)))
        x.el("Volgorde", "1")
        x.el("Soort", soort if std is JW else rng.choice(("03", "04", "05", "06")))
        x.el("Geslacht", rng.choice("12"))
        x.open("Naam")
        geslachtsnaam(x, "Geslachtsnaam", rng.choice(ACHTERNAMEN))
        x.b("Voorletters", rng.choice("ABCDEFGHJKLMNPRSTW"))
        x.b("NaamGebruik", "1")
        x.close("Naam")
        x.open("Contact")
        x.el("Soort", "02")
        telefoon(x, "06%08d" % rng.randint(10000000, 99999999))  # TR006: Telefoon suffices
        x.close("Contact")
        x.close("Relatie")
        x.close("Relaties")
    x.open("Contactgegevens")
    x.open("Contact")
    x.el("Soort", "01")  # TR061, CD034, CD025, CS089, TR006 all satisfied by a full NL address
    adres(x, p)
    if p.telefoon:
        telefoon(x, p.telefoon)
    x.close("Contact")
    x.close("Contactgegevens")
    x.open("ToegewezenProducten")
    for tp in products:
        x.open("ToegewezenProduct")
        x.el("ToewijzingNummer", str(tp["nummer"]))
        if tp.get("ref"):
            x.el("ReferentieAanbieder", tp["ref"])
        x.open("Product")
        x.b("Categorie", tp["cat"])
        if tp["code"]:
            x.b("Code", tp["code"])
        x.close("Product")
        x.el("Toewijzingsdatum", tp["tdatum"].isoformat())
        x.el("Toewijzingstijd", tp["ttijd"])
        x.el("Ingangsdatum", tp["ingang"].isoformat())
        if tp["eind"]:
            x.el("Einddatum", tp["eind"].isoformat())
        if tp["omvang"]:
            vol, eenheid, freq = tp["omvang"]
            x.open("Omvang")
            x.b("Volume", str(vol))
            x.b("Eenheid", eenheid)
            x.b("Frequentie", freq)
            x.close("Omvang")
        if tp["budget"] is not None:
            x.el("Budget", str(tp["budget"]))
        if tp.get("commentaar"):
            x.el("Commentaar", tp["commentaar"])
        x.close("ToegewezenProduct")
    x.close("ToegewezenProducten")
    x.close("Client")
    return x.text()


def msg_305_307(w, n, ident, agb, gemeente, p, dagtekening, items, std=WMO):
    """items: dicts with nummer, cat, code|None, ingang, begin, [reden, eind], status."""
    x = Xml(n, std)
    header(x, n, agb, gemeente, ident, dagtekening)
    x.open("Client")
    client_basis(x, p, False, w.rng)
    outer, inner = ("StartProducten", "StartProduct") if n == "305" else ("StopProducten", "StopProduct")
    x.open(outer)
    for it in items:
        x.open(inner)
        x.el("ToewijzingNummer", str(it["nummer"]))
        x.open("Product")
        x.b("Categorie", it["cat"])
        if it["code"]:
            x.b("Code", it["code"])
        x.close("Product")
        x.el("ToewijzingIngangsdatum", it["ingang"].isoformat())
        x.el("Begindatum", it["begin"].isoformat())
        if n == "307":
            x.el("RedenBeeindiging", it["reden"])
            x.el("Einddatum", it["eind"].isoformat())
        x.el("StatusAanlevering", it.get("status", "1"))
        x.close(inner)
    x.close(outer)
    x.close("Client")
    return x.text()


def omvang(x, vol, eenheid="04", freq="2"):
    x.open("Omvang")
    x.b("Volume", str(vol))
    x.b("Eenheid", eenheid)
    x.b("Frequentie", freq)
    x.close("Omvang")


def msg_315(w, ident, agb, gemeente, p, dagtekening, products, std=WMO):
    """A request for an allocation (verzoek om toewijzing). products: dicts with ref, cat,
    code, ingang, eind, vol."""
    rng = w.rng
    x = Xml("315", std)
    header(x, "315", agb, gemeente, ident, dagtekening)
    x.open("Client")
    client_basis(x, p, False, rng)
    if std is JW and rng.random() < 0.5:
        x.el("GezagsdragerBekend", rng.choice("12"))
    x.open("AangevraagdeProducten")
    for ap in products:
        x.open("AangevraagdProduct")
        x.el("ReferentieAanbieder", ap["ref"])
        x.open("Product")
        x.b("Categorie", ap["cat"])
        x.b("Code", ap["code"])
        x.close("Product")
        x.el("ToewijzingIngangsdatum", ap["ingang"].isoformat())
        x.el("ToewijzingEinddatum", ap["eind"].isoformat())
        omvang(x, ap["vol"])
        x.open("Verwijzer")
        x.b("Type", "01")
        x.b("Naam", ("Wijkteam " if std is WMO else "Jeugdteam ") + xml_escape(p.plaats))
        x.close("Verwijzer")
        x.el("Raamcontract", "2")
        x.close("AangevraagdProduct")
    x.close("AangevraagdeProducten")
    x.close("Client")
    return x.text()


def msg_317(w, ident, agb, gemeente, bsn, dagtekening, ref, unchanged, change, new, std=WMO):
    """A request to change allocations (verzoek om wijziging): unchanged = ToewijzingNummers;
    change = (nummer, ingang, eind, vol); new = [(cat, code, ingang, eind, vol)]."""
    x = Xml("317", std)
    header(x, "317", agb, gemeente, ident, dagtekening)
    x.open("Client")
    x.el("Bsn", bsn)
    x.open("Verzoek")
    x.el("ReferentieAanbieder", ref)
    x.el("RedenVerzoek", "2" if new else "1")
    if unchanged:
        x.open("OngewijzigdeProducten")
        for nummer in unchanged:
            x.open("OngewijzigdProduct")
            x.el("ToewijzingNummer", str(nummer))
            x.close("OngewijzigdProduct")
        x.close("OngewijzigdeProducten")
    nummer, ingang, eind, vol = change
    x.open("TeWijzigenProducten")
    x.open("TeWijzigenProduct")
    x.el("ToewijzingNummer", str(nummer))
    x.el("GewensteIngangsdatum", ingang.isoformat())
    x.el("Einddatum", eind.isoformat())
    omvang(x, vol)
    x.close("TeWijzigenProduct")
    x.close("TeWijzigenProducten")
    if new:
        x.open("NieuweProducten")
        for cat, code, n_ingang, n_eind, n_vol in new:
            x.open("NieuwProduct")
            x.open("Product")
            x.b("Categorie", cat)
            x.b("Code", code)
            x.close("Product")
            x.el("GewensteIngangsdatum", n_ingang.isoformat())
            x.el("Einddatum", n_eind.isoformat())
            omvang(x, n_vol)
            x.close("NieuwProduct")
        x.close("NieuweProducten")
    x.close("Verzoek")
    x.close("Client")
    return x.text()


def msg_319(w, ident, gemeente, agb, dagtekening, ref, antwoord, reden=None, std=WMO):
    """The answer to a request: antwoord 2 = in onderzoek, 1 = refused with a reason."""
    x = Xml("319", std)
    header(x, "319", gemeente, agb, ident, dagtekening)
    x.open("Antwoord")
    x.el("ReferentieAanbieder", ref)
    x.el("VerzoekAntwoord", antwoord)
    if reden:
        x.el("RedenAfwijzingVerzoek", reden)
    x.close("Antwoord")
    return x.text()


# --------------------------------------------------------------------------- validate kind
def rand_date(rng, lo, hi):
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def rand_time(rng):
    return "%02d:%02d:%02d" % (rng.randint(7, 18), rng.randint(0, 59), rng.randint(0, 59))


def provider_and_gemeente(w):
    agb, gems = w.rng.choice(w.providers)
    return agb, w.rng.choice(gems)[0]


def gen_301(w, ident, std=WMO):
    rng = w.rng
    agb, gem = provider_and_gemeente(w)
    p = rng.choice(w.pool(std))
    dag = rand_date(rng, D(2025, 1, 10), D(2025, 12, 20))
    k = rng.choices((1, 2, 3), (60, 30, 10))[0]
    products = []
    for cat in w.distinct_cats(k, std):  # distinct categories: no TR302 stacking
        tdatum = dag - dt.timedelta(days=rng.randint(0, 3))
        ingang = max(Y2025, dag - dt.timedelta(days=rng.randint(0, 60)))
        eind = ingang + dt.timedelta(days=rng.randint(90, 365))
        tp = {"nummer": w.next_nummer(), "cat": cat, "tdatum": tdatum, "ttijd": rand_time(rng),
              "ingang": ingang, "eind": eind, "omvang": None, "budget": None,
              "commentaar": rng.choice(COMMENTAREN) if rng.random() < 0.05 else None}
        if rng.random() < 0.8:
            # specific, inspanningsgericht: Omvang in hours per week (needs Einddatum, CD076)
            tp["code"] = w.product(cat, std)[1]
            tp["omvang"] = (rng.randint(1, 16), "04", "2")
        else:
            # aspecific with budget: only Categorie, Budget, Einddatum, no Omvang
            tp["code"] = None
            tp["budget"] = rng.randrange(50000, 2500000, 100)
        products.append(tp)
    return msg_301(w, ident, gem, agb, p, dag, products, std)


def gen_305_307(w, n, ident, std=WMO):
    rng = w.rng
    agb, gem = provider_and_gemeente(w)
    p = rng.choice(w.pool(std))
    dag = rand_date(rng, D(2025, 1, 15), D(2025, 12, 31))
    items = []
    for _ in range(rng.choices((1, 2, 3), (65, 25, 10))[0]):
        cat, code, _t = w.product(std=std)
        if rng.random() < 0.15:
            code = None  # aspecific allocation: Product with only Categorie (IV075)
        ingang = max(Y2025, dag - dt.timedelta(days=rng.randint(3, 120)))
        begin = ingang + dt.timedelta(days=rng.randint(0, min(14, (dag - ingang).days)))
        it = {"nummer": w.next_nummer(), "cat": cat, "code": code, "ingang": ingang,
              "begin": begin, "status": "3" if rng.random() < 0.03 else "1"}
        if n == "307":
            it["eind"] = begin + dt.timedelta(days=rng.randint(0, (dag - begin).days))
            it["reden"] = "20" if rng.random() < 0.3 else rng.choice(std.reden)
        items.append(it)
    return msg_305_307(w, n, ident, agb, gem, p, dag, items, std)


def gen_315(w, ident, std=WMO):
    rng = w.rng
    agb, gem = provider_and_gemeente(w)
    p = rng.choice(w.pool(std))
    dag = rand_date(rng, D(2025, 1, 10), D(2025, 12, 20))
    products = []
    for j, cat in enumerate(w.distinct_cats(rng.choices((1, 2), (80, 20))[0], std), 1):
        ingang = dag + dt.timedelta(days=rng.randint(0, 30))
        products.append({"ref": "VOT-%s-%d" % (ident, j), "cat": cat, "code": w.product(cat, std)[1],
                         "ingang": ingang, "eind": ingang + dt.timedelta(days=rng.randint(90, 365)),
                         "vol": rng.randint(1, 16)})
    return msg_315(w, ident, agb, gem, p, dag, products, std)


def gen_317(w, ident, std=WMO):
    rng = w.rng
    agb, gem = provider_and_gemeente(w)
    p = rng.choice(w.pool(std))
    dag = rand_date(rng, D(2025, 1, 10), D(2025, 12, 20))
    unchanged = [w.next_nummer() for _ in range(rng.choices((0, 1, 2), (50, 35, 15))[0])]
    ingang = dag + dt.timedelta(days=rng.randint(1, 30))
    change = (w.next_nummer(), ingang, ingang + dt.timedelta(days=rng.randint(90, 365)),
              rng.randint(1, 16))
    new = []
    if rng.random() < 0.3:
        cat, code, _t = w.product(std=std)
        new.append((cat, code, ingang, ingang + dt.timedelta(days=rng.randint(90, 365)),
                    rng.randint(1, 16)))
    return msg_317(w, ident, agb, gem, p.bsn, dag, "VOW-%s" % ident, unchanged, change, new, std)


def gen_319(w, ident, std=WMO):
    rng = w.rng
    agb, gem = provider_and_gemeente(w)
    dag = rand_date(rng, D(2025, 1, 10), D(2025, 12, 20))
    ref = "VOT-%s-1" % ident
    if rng.random() < 0.7:
        return msg_319(w, ident, gem, agb, dag, ref, "2", std=std)
    # refused; 8 (woonplaatsbeginsel) needs the class naming the responsible gemeente: left out
    return msg_319(w, ident, gem, agb, dag, ref, "1", rng.choice("1234567" "9"), std)


def gen_323(w, ident, msgno, std=WMO):
    rng = w.rng
    agb, gem = provider_and_gemeente(w)
    month = rng.randint(1, 11)
    pbegin = D(2025, month, 1)
    pend = month_end(pbegin)
    dag = pend + dt.timedelta(days=rng.randint(1, 15))
    n_prest = rng.randint(1, 50)
    n_cli = min(n_prest, rng.randint(1, 10))
    # distribute prestaties over clients (every client >= 1)
    counts = [1] * n_cli
    for _ in range(n_prest - n_cli):
        counts[rng.randrange(n_cli)] += 1
    pool = w.pool(std)
    clients = rng.sample(range(len(pool)), n_cli)
    x = Xml("323", std)
    header(x, "323", agb, gem, ident, dag)
    x.open("Declaratie")
    x.el("DeclaratieNummer", "DN%08d" % msgno)
    x.open("DeclaratiePeriode")
    x.b("Begindatum", pbegin.isoformat())
    x.b("Einddatum", pend.isoformat())
    x.close("DeclaratiePeriode")
    x.el("DeclaratieDagtekening", dag.isoformat())
    # build lines first (total precedes them)
    all_lines = []
    refno = 0
    for ci, pi in enumerate(clients):
        L = counts[ci]
        nalloc = max(rng.randint(1, 3), -(-L // month))
        allocs = []
        for _ in range(nalloc):
            cat, code, tarief = w.product(std=std)
            ingang = add_months(pbegin, -rng.randint(0, month - 1)) + dt.timedelta(days=rng.choice((0, 0, 0, 0, 4, 9, 13)))
            allocs.append((w.next_nummer(), cat, code, tarief, ingang))
        lines = []
        for j in range(L):
            nummer, cat, code, tarief, ingang = allocs[j % nalloc]
            back = j // nalloc  # 0 = claimed month; >0 late claim for an earlier month (distinct period: TR416)
            mb = add_months(pbegin, -back)
            me = month_end(mb)
            b = max(mb, ingang) if ingang <= me else mb
            e = me if rng.random() < 0.9 else b + dt.timedelta(days=rng.randint(0, (me - b).days))
            vol = rng.randint(1, 60)
            refno += 1
            line = {"ref": "RN%08d-%03d" % (msgno, refno), "vorig": None, "nummer": nummer,
                    "cat": cat, "code": code, "b": b, "e": e, "vol": vol, "tarief": tarief,
                    "bedrag": vol * tarief, "dc": "D"}
            if rng.random() < 0.04:
                # credit of a line from an earlier claim (never of this message: TR316)
                line["dc"] = "C"
                line["vorig"] = "RX%08d-%03d" % (msgno, refno)
            lines.append(line)
        all_lines.append((pool[pi].bsn, lines))
    total = sum(l["bedrag"] if l["dc"] == "D" else -l["bedrag"] for _b, ls in all_lines for l in ls)
    if total < 0:  # keep TotaalIngediendBedrag a debit: turn credits into debits
        for _b, ls in all_lines:
            for l in ls:
                l["dc"], l["vorig"] = "D", None
        total = sum(l["bedrag"] for _b, ls in all_lines for l in ls)
    x.open("TotaalIngediendBedrag")
    x.b("TotaalBedrag", str(total))
    x.b("DebetCredit", "D")
    x.close("TotaalIngediendBedrag")
    x.open("Clienten")
    for bsn, lines in all_lines:
        x.open("Client")
        x.el("Bsn", bsn)
        x.open("Prestaties")
        for l in lines:
            x.open("Prestatie")
            x.open("ProductReferentie")
            x.b("ReferentieNummer", l["ref"])
            if l["vorig"]:
                x.b("VorigReferentieNummer", l["vorig"])
            x.close("ProductReferentie")
            x.el("ToewijzingNummer", str(l["nummer"]))
            x.el("ProductCategorie", l["cat"])
            x.el("ProductCode", l["code"])
            x.open("ProductPeriode")
            x.b("Begindatum", l["b"].isoformat())
            x.b("Einddatum", l["e"].isoformat())
            x.close("ProductPeriode")
            x.el("GeleverdVolume", str(l["vol"]))
            x.el("Eenheid", "04")
            x.el("ProductTarief", str(l["tarief"]))
            x.open("IngediendBedrag")
            x.b("Bedrag", str(l["bedrag"]))
            x.b("DebetCredit", l["dc"])
            x.close("IngediendBedrag")
            x.close("Prestatie")
        x.close("Prestaties")
        x.close("Client")
    x.close("Clienten")
    x.close("Declaratie")
    return x.text()


# --------------------------------------------------------------------------- invalid mutations
def make_invalid(text, n, rng, std=WMO):
    """Return an XSD-invalid (but well-formed) variant of a valid message."""
    p = std.prefix + n
    kind = rng.randrange(7)
    if kind == 2 and n == "319":  # a 319 has no Bsn
        kind = 0
    if kind == 0:  # BerichtVersie fixed to 3 by pattern
        return text.replace("<%s:BerichtVersie>3<" % p, "<%s:BerichtVersie>4<" % p, 1)
    if kind == 1:  # non-existent date
        tag = "<%s:Dagtekening>" % std.basis
        i = text.index(tag) + len(tag)
        return text[:i] + "2025-02-30" + text[i + 10:]
    if kind == 2:  # 8-digit BSN
        i = text.index("<%s:Bsn>" % p) + len("<%s:Bsn>" % p)
        return text[:i] + text[i + 1:]
    if kind == 3:  # unknown element in the header
        tag = "<%s:BerichtSubversie>2</%s:BerichtSubversie>" % (p, p)
        return text.replace(tag, tag + NL + "\t\t<%s:Onbekend>x</%s:Onbekend>" % (p, p), 1)
    if kind == 4:  # required element missing (XsdVersie)
        a = text.index("\t<%s:XsdVersie>" % p)
        b = text.index("</%s:XsdVersie>" % p) + len("</%s:XsdVersie>" % p) + len(NL)
        return text[:a] + text[b:]
    if kind == 5:  # wrong BerichtCode for the namespace
        return text.replace("<%s:BerichtCode>%s<" % (p, std.codes[n]),
                            "<%s:BerichtCode>%s<" % (p, std.wrong_code), 1)
    # kind 6: elements out of order (Ontvanger before Afzender)
    a = text.index("\t\t<%s:Afzender>" % p)
    b = text.index("\t\t<%s:Ontvanger>" % p)
    c = text.index(NL, b) + len(NL)
    return text[:a] + text[b:c] + text[a:b] + text[c:]


# --------------------------------------------------------------------------- drivers
def write(path, text):
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def gen_validate(args, rng):
    n = args.messages
    stds = STANDARDS[args.standard]
    types = TYPES + (REQUEST_TYPES if args.requests else ())
    mix = MIX_REQUESTS if args.requests else MIX
    w = World(rng, max(500, n // 2) if WMO in stds else 0, max(500, n // 2) if JW in stds else 0,
              JW in stds)
    inv_rng = random.Random("invalid-%d" % args.seed)  # separate stream: valid content is rate-independent
    # exact counts per (standard, type) (largest remainder), then a deterministic shuffle
    keys = [(std, t) for t in types for std in stds]
    raw = {k: mix[k[1]] * n / len(stds) for k in keys}
    counts = {k: int(raw[k]) for k in keys}
    for k in sorted(keys, key=lambda k: -(raw[k] - counts[k]))[: n - sum(counts.values())]:
        counts[k] += 1
    order = [k for k in keys for _ in range(counts[k])]
    rng.shuffle(order)
    for std, t in keys:
        os.makedirs(os.path.join(args.out, std.name(t)), exist_ok=True)
    total_bytes = 0
    invalid = []
    for i, (std, t) in enumerate(order, 1):
        ident = "%s%09d" % (t, i)  # 12 chars, unique per (Afzender, BerichtCode)
        if t == "301":
            text = gen_301(w, ident, std)
        elif t == "323":
            text = gen_323(w, ident, i, std)
        elif t == "315":
            text = gen_315(w, ident, std)
        elif t == "317":
            text = gen_317(w, ident, std)
        elif t == "319":
            text = gen_319(w, ident, std)
        else:
            text = gen_305_307(w, t, ident, std)
        rel = "%s/%s.xml" % (std.name(t), ident)
        if args.invalid_rate > 0 and inv_rng.random() < args.invalid_rate:
            text = make_invalid(text, t, inv_rng, std)
            invalid.append(rel)
        total_bytes += write(os.path.join(args.out, rel), text)
    if invalid:
        with open(os.path.join(args.out, "invalid.txt"), "w", newline="\n") as f:
            f.write("\n".join(invalid) + "\n")
    return {std.name(t): counts[(std, t)] for std, t in keys}, total_bytes, len(invalid)


def gen_history(args, rng):
    n = args.messages
    stds = STANDARDS[args.standard]
    w = World(rng, 0, 0, JW in stds)
    events = []  # (dagtekening, history, step, standard, type, sender, builder)
    h = 0
    while len(events) < n:
        h += 1
        std = stds[0] if len(stds) == 1 else rng.choice(stds)
        p = w.new_person(young=std is JW)
        agb, gems = rng.choice(w.providers)
        gem = rng.choice(gems)[0]
        cat, code, _t = w.product(std=std)
        nummer = w.next_nummer()
        d0 = rand_date(rng, D(2025, 1, 2), D(2025, 7, 15))
        ingang = d0 + dt.timedelta(days=rng.randint(0, 14))
        eind = ingang + dt.timedelta(days=rng.randint(180, 365))
        tp = {"nummer": nummer, "cat": cat, "code": code, "tdatum": d0, "ttijd": rand_time(rng),
              "ingang": ingang, "eind": eind, "omvang": (rng.randint(1, 16), "04", "2"),
              "budget": None}
        s1 = ingang + dt.timedelta(days=rng.randint(0, 7))
        pause = s1 + dt.timedelta(days=rng.randint(20, 60))
        s2 = pause + dt.timedelta(days=rng.randint(7, 30))
        base = {"nummer": nummer, "cat": cat, "code": code, "ingang": ingang}
        steps = []
        if args.requests and rng.random() < 0.5:
            # the provider asks first (315); the gemeente may answer "in onderzoek" (319) before
            # the 301 that honours the request
            ref = tp["ref"] = "VOT-%09d" % h
            d_req = max(Y2025, d0 - dt.timedelta(days=rng.randint(3, 20)))
            ap = {"ref": ref, "cat": cat, "code": code, "ingang": ingang, "eind": eind,
                  "vol": tp["omvang"][0]}
            steps.append((d_req, "315", agb, ("315", agb, gem, p, d_req, [ap])))
            if rng.random() < 0.5:
                d_ant = d_req + dt.timedelta(days=rng.randint(0, (d0 - d_req).days))
                steps.append((d_ant, "319", gem, ("319", gem, agb, d_ant, ref)))
        steps += [
            (d0, "301", gem, ("301", gem, agb, p, d0, [tp])),
            (s1 + dt.timedelta(days=rng.randint(1, 5)), "305", agb,
             ("305", agb, gem, p, [dict(base, begin=s1)])),
            (pause + dt.timedelta(days=rng.randint(1, 5)), "307", agb,
             ("307", agb, gem, p, [dict(base, begin=s1, reden="20", eind=pause)])),
            (s2 + dt.timedelta(days=rng.randint(1, 5)), "305", agb,
             ("305", agb, gem, p, [dict(base, begin=s2)])),
        ]
        if rng.random() < 0.5:
            stop = s2 + dt.timedelta(days=rng.randint(10, 60))
            steps.append((stop + dt.timedelta(days=rng.randint(1, 5)), "307", agb,
                          ("307", agb, gem, p, [dict(base, begin=s2, reden=rng.choice(std.reden),
                                                     eind=stop)])))
        for k, (dag, t, sender, spec) in enumerate(steps):
            if len(events) == n:
                break
            events.append((dag, h, k, std, t, sender, spec))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    width = max(6, len(str(n)))
    types = TYPES + (("315", "319") if args.requests else ())
    counts = {std.name(t): 0 for std in stds for t in types}
    total_bytes = 0
    for seq, (dag, _h, _k, std, t, sender, spec) in enumerate(events, 1):
        counts[std.name(t)] += 1
        ident = "%s%09d" % (t, seq)
        if t == "301":
            _t, gem, agb, p, d0, tps = spec
            text = msg_301(w, ident, gem, agb, p, d0, tps, std)
        elif t == "315":
            _t, agb, gem, p, d_req, aps = spec
            text = msg_315(w, ident, agb, gem, p, d_req, aps, std)
        elif t == "319":
            _t, gem, agb, d_ant, ref = spec
            text = msg_319(w, ident, gem, agb, d_ant, ref, "2", std=std)
        else:
            _t, agb, gem, p, items = spec
            text = msg_305_307(w, t, ident, agb, gem, p, dag, items, std)
        name = "%0*d-%s-%s-%s.xml" % (width, seq, std.name(t), sender, ident)
        total_bytes += write(os.path.join(args.out, name), text)
    return counts, total_bytes, 0


TYPE_DIRS = {std.name(t) for std in (WMO, JW) for t in TYPES + REQUEST_TYPES}


def prepare_out(out, force):
    if os.path.isdir(out) and os.listdir(out):
        if not force:
            sys.exit("gen_corpus: %s is not empty (use --force to replace a previous corpus)" % out)
        # remove only what this tool writes
        for name in sorted(os.listdir(out)):
            path = os.path.join(out, name)
            if name in TYPE_DIRS and os.path.isdir(path):
                for f in os.listdir(path):
                    if f.endswith(".xml"):
                        os.remove(os.path.join(path, f))
                if not os.listdir(path):
                    os.rmdir(path)
            elif name == "invalid.txt" or (name.endswith(".xml") and ("-WMO3" in name or "-JW3" in name)):
                os.remove(path)
        if os.listdir(out):
            sys.exit("gen_corpus: %s still holds files this tool did not write" % out)
    os.makedirs(out, exist_ok=True)


def main():
    ap = argparse.ArgumentParser(description="Generate a deterministic iWmo 3.2 / iJw 3.2 message corpus.")
    ap.add_argument("--out", required=True, help="output directory (created; must be empty)")
    ap.add_argument("--messages", type=int, default=20000, help="number of messages (default 20000)")
    ap.add_argument("--seed", type=int, default=20250101, help="random seed (default 20250101)")
    ap.add_argument("--kind", choices=("validate", "history"), default="validate")
    ap.add_argument("--standard", choices=("wmo", "jw", "mixed"), default="wmo",
                    help="iWmo 3.2 (default), iJw 3.2, or both in one corpus (half each)")
    ap.add_argument("--requests", action="store_true",
                    help="add request traffic: 315/317/319 (validate), 315 -> 319 -> 301 (history)")
    ap.add_argument("--invalid-rate", type=float, default=0.0,
                    help="fraction of deliberately XSD-invalid messages (validate kind; default 0)")
    ap.add_argument("--force", action="store_true", help="replace a corpus previously written to --out")
    args = ap.parse_args()
    if args.messages < 1:
        ap.error("--messages must be >= 1")
    if not 0.0 <= args.invalid_rate <= 1.0:
        ap.error("--invalid-rate must be between 0 and 1")
    if args.kind == "history" and args.invalid_rate > 0:
        ap.error("--invalid-rate applies to --kind validate only")
    prepare_out(args.out, args.force)
    t0 = time.monotonic()
    rng = random.Random(args.seed)
    if args.kind == "validate":
        counts, nbytes, ninvalid = gen_validate(args, rng)
    else:
        counts, nbytes, ninvalid = gen_history(args, rng)
    el = time.monotonic() - t0
    extra = "" if args.standard == "wmo" and not args.requests else " standard=%s requests=%s" % (
        args.standard, "yes" if args.requests else "no")
    print("gen_corpus: kind=%s%s seed=%d messages=%d %s invalid=%d bytes=%d out=%s time=%.1fs" % (
        args.kind, extra, args.seed, sum(counts.values()),
        " ".join("%s=%d" % (k, v) for k, v in counts.items()), ninvalid, nbytes, args.out, el))


if __name__ == "__main__":
    main()
