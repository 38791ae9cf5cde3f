// Level-2 rules of the requests and the answer: WMO315 (Verzoek om toewijzing), WMO317 (Verzoek
// om wijziging) and WMO319 (Antwoordbericht), per DOMAIN.md §3.2-§3.4: a trigger and a near miss
// per rule, and the rules of other types that must not fire here.
#include <doctest/doctest.h>

#include "rules_fixture.hpp"

using namespace istd;
using namespace istd::test::rules;

namespace {

const std::string& t315() {
  static const std::string s = tpl("wmo315.xml");
  return s;
}
const std::string& t317() {
  static const std::string s = tpl("wmo317.xml");
  return s;
}
const std::string& t319() {
  static const std::string s = tpl("wmo319.xml");
  return s;
}

constexpr const char* kAp = "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct";
constexpr const char* kVerzoek = "/Bericht/Client/Verzoek";
constexpr const char* kOp = "/Bericht/Client/Verzoek/OngewijzigdeProducten/OngewijzigdProduct";
constexpr const char* kTwp = "/Bericht/Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct";
constexpr const char* kNp = "/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct";
constexpr const char* kAntwoord = "/Bericht/Antwoord";
constexpr const char* kDagtekening = "/Bericht/Header/BerichtIdentificatie/Dagtekening";


bool names(const Finding& f, std::string_view what) {
  INFO("text: " << f.text);
  return f.text.find(what) != std::string::npos;
}

/// `product`: "" (none), "01" (Categorie only) or "01/01A01".
std::string product(const std::string& ns, const std::string& p) {
  if (p.empty()) return "";
  std::string s = "<" + ns + ":Product><iwmo:Categorie>" + p.substr(0, 2) + "</iwmo:Categorie>";
  if (p.size() > 3) s += "<iwmo:Code>" + p.substr(3) + "</iwmo:Code>";
  return s + "</" + ns + ":Product>";
}

std::string omvang(const std::string& ns, const std::string& volume, const std::string& eenheid,
                   const std::string& frequentie) {
  return "<" + ns + ":Omvang><iwmo:Volume>" + volume + "</iwmo:Volume><iwmo:Eenheid>" + eenheid +
         "</iwmo:Eenheid><iwmo:Frequentie>" + frequentie + "</iwmo:Frequentie></" + ns +
         ":Omvang>";
}
std::string budget(const std::string& ns, const std::string& b) {
  return "<" + ns + ":Budget>" + b + "</" + ns + ":Budget>";
}

/// One AangevraagdProduct (no Beschikking; Verwijzer Type 01 with a Naam). `tail`: Omvang and/or
/// Budget.
std::string ap(const std::string& ref, const std::string& prod, const std::string& ingang,
               const std::string& eind, const std::string& tail) {
  std::string s = "<wmo315:AangevraagdProduct><wmo315:ReferentieAanbieder>" + ref +
                  "</wmo315:ReferentieAanbieder>" + product("wmo315", prod) +
                  "<wmo315:ToewijzingIngangsdatum>" + ingang + "</wmo315:ToewijzingIngangsdatum>";
  if (!eind.empty())
    s += "<wmo315:ToewijzingEinddatum>" + eind + "</wmo315:ToewijzingEinddatum>";
  return s + tail +
         "<wmo315:Verwijzer><iwmo:Type>01</iwmo:Type><iwmo:Naam>Wmo-loket</iwmo:Naam>"
         "</wmo315:Verwijzer></wmo315:AangevraagdProduct>";
}
std::string ap_omvang(const std::string& frequentie) {
  return omvang("wmo315", "4", "04", frequentie);
}

/// The 315 template with these requested products instead of its own.
std::string with_aps(const std::string& aps) {
  std::string s = t315();
  const std::string open = "<wmo315:AangevraagdeProducten>";
  const auto b = s.find(open) + open.size();
  const auto e = s.find("</wmo315:AangevraagdeProducten>");
  return s.replace(b, e - b, aps);
}

/// One NieuwProduct. `tail`: Omvang and/or Budget.
std::string np(const std::string& prod, const std::string& ingang, const std::string& eind,
               const std::string& tail) {
  std::string s = "<wmo317:NieuwProduct>" + product("wmo317", prod) +
                  "<wmo317:GewensteIngangsdatum>" + ingang + "</wmo317:GewensteIngangsdatum>";
  if (!eind.empty()) s += "<wmo317:Einddatum>" + eind + "</wmo317:Einddatum>";
  return s + tail + "</wmo317:NieuwProduct>";
}
std::string np_omvang(const std::string& frequentie) {
  return omvang("wmo317", "4", "04", frequentie);
}

/// The 317 template with these new products instead of its own.
std::string with_nps(const std::string& nps) {
  std::string s = t317();
  const std::string open = "<wmo317:NieuweProducten>";
  const auto b = s.find(open) + open.size();
  const auto e = s.find("</wmo317:NieuweProducten>");
  return s.replace(b, e - b, nps);
}

// Anchors.
const std::string kAp2 = "<wmo315:ReferentieAanbieder>R315-2<";
const std::string kAp3 = "<wmo315:ReferentieAanbieder>R315-3<";
const std::string kTw = "<wmo317:TeWijzigenProduct>";
const std::string kNp1 = "<wmo317:NieuwProduct>";

}  // namespace

TEST_SUITE("rules") {
  TEST_CASE("rules: the 315, 317 and 319 templates are free of level-2 findings") {
    for (const auto* t : {&t315(), &t317(), &t319()}) {
      auto r = run(*t);
      INFO("findings:\n" << all_rules(r));
      CHECK(r.findings.empty());
      CHECK(r.valid());
    }
  }

  // ---- 315 -------------------------------------------------------------------------------

  TEST_CASE("rules: CD041 in a 315: a product code requires an Omvang") {
    auto f = one(run(cut(t315(), "<wmo315:Omvang>", "</wmo315:Omvang>", kAp3)), "CD041");
    CHECK(f.path() == at(kAp, 3));
    CHECK(f.paths.at(1) == at(kAp, 3, "Product/Code"));
    CHECK(names(f, "AangevraagdProduct"));
    // Near miss: a Categorie without Code needs no Omvang (AangevraagdProduct 1).
    CHECK(none(run(t315()), "CD041"));
  }

  TEST_CASE("rules: CD043 BeschikkingNummer if and only if BeschikkingIngangsdatum") {
    auto f = one(run(sub(t315(), "<wmo315:BeschikkingIngangsdatum>2025-02-15</wmo315:"
                                 "BeschikkingIngangsdatum>",
                         "")),
                 "CD043");
    CHECK(f.path() == at(kAp, 1));
    CHECK(names(f, "BeschikkingIngangsdatum"));
    auto g = one(run(sub(t315(), "<wmo315:BeschikkingNummer>5001</wmo315:BeschikkingNummer>", "")),
                 "CD043");
    CHECK(g.path() == at(kAp, 1));
    CHECK(names(g, "BeschikkingNummer"));
    // Near miss: both left out.
    auto both = sub(t315(), "<wmo315:BeschikkingNummer>5001</wmo315:BeschikkingNummer>", "");
    both = sub(both, "<wmo315:BeschikkingIngangsdatum>2025-02-15</wmo315:BeschikkingIngangsdatum>",
               "");
    CHECK(none(run(both), "CD043"));
  }

  TEST_CASE("rules: CD066 a care referrer with a ZorgverlenerCode has no Naam") {
    auto f = one(run(sub(t315(), "<iwmo:ZorgverlenerCode>",
                         "<iwmo:Naam>Huisarts Jansen</iwmo:Naam><iwmo:ZorgverlenerCode>")),
                 "CD066");
    CHECK(f.path() == at(kAp, 3, "Verwijzer"));
    CHECK(names(f, "Verwijzer"));
    // Near miss: Type 02 with a Naam and no ZorgverlenerCode.
    auto s = sub(t315(), "<iwmo:ZorgverlenerCode>01012345</iwmo:ZorgverlenerCode>",
                 "<iwmo:Naam>Huisarts Jansen</iwmo:Naam>");
    CHECK(none(run(s), "CD066"));
  }

  TEST_CASE("rules: CD067 a care referrer without a ZorgverlenerCode has a Naam") {
    auto f = one(run(sub(t315(), "<iwmo:ZorgverlenerCode>01012345</iwmo:ZorgverlenerCode>", "")),
                 "CD067");
    CHECK(f.path() == at(kAp, 3, "Verwijzer"));
    CHECK(names(f, "Verwijzer"));
    // Near miss: Type 01 (not a care professional) with neither.
    CHECK(none(run(sub(t315(), "<iwmo:Naam>Wmo-loket</iwmo:Naam>", "")), "CD067"));
  }

  TEST_CASE("rules: CD068 a ZorgverlenerCode only for Type 02-05") {
    auto f = one(run(sub(t315(), "<iwmo:Naam>Wmo-loket</iwmo:Naam>",
                         "<iwmo:ZorgverlenerCode>01012345</iwmo:ZorgverlenerCode>")),
                 "CD068");
    CHECK(f.path() == at(kAp, 1, "Verwijzer"));
    CHECK(names(f, "ZorgverlenerCode"));
    CHECK(one(run(sub(t315(), "<iwmo:Type>02<", "<iwmo:Type>08<")), "CD068").path() ==
          at(kAp, 3, "Verwijzer"));
    // Near miss: Type 05 with a ZorgverlenerCode (and no Naam).
    CHECK(none(run(sub(t315(), "<iwmo:Naam>Medisch specialist</iwmo:Naam>",
                       "<iwmo:ZorgverlenerCode>01012345</iwmo:ZorgverlenerCode>")),
               "CD068"));
  }

  TEST_CASE("rules: CD075 in a 315: a Budget requires a ToewijzingEinddatum") {
    auto f = one(run(sub(t315(), "<wmo315:ToewijzingEinddatum>2025-08-31</wmo315:"
                                 "ToewijzingEinddatum>",
                         "")),
                 "CD075");
    CHECK(f.path() == at(kAp, 2, "Budget"));
    CHECK(names(f, "ToewijzingEinddatum"));
    // Near miss: an open end without a Budget (AangevraagdProduct 1).
    CHECK(none(run(t315()), "CD075"));
  }

  TEST_CASE("rules: CD076 in a 315: a weekly volume requires a ToewijzingEinddatum") {
    const std::string eind = "<wmo315:ToewijzingEinddatum>2025-12-31</wmo315:ToewijzingEinddatum>";
    auto f = one(run(sub(t315(), eind, "")), "CD076");
    CHECK(f.path() == at(kAp, 3, "Omvang/Frequentie"));
    CHECK(names(f, "AangevraagdProduct"));
    auto monthly = sub(t315(), "<iwmo:Frequentie>2<", "<iwmo:Frequentie>4<");
    CHECK(none(run(sub(monthly, eind, "")), "CD076"));
  }

  TEST_CASE("rules: CD077 and CD078 in a 315: Budget and Omvang exclude each other") {
    auto r = run(sub(t315(), "<wmo315:Budget>", ap_omvang("4") + "<wmo315:Budget>"));
    auto b = one(r, "CD077");
    CHECK(b.path() == at(kAp, 2, "Budget"));
    CHECK(names(b, "Omvang"));
    auto o = one(r, "CD078");
    CHECK(o.path() == at(kAp, 2, "Omvang"));
    CHECK(names(o, "Budget"));
    auto ok = run(t315());
    CHECK(none(ok, "CD077"));
    CHECK(none(ok, "CD078"));
  }

  TEST_CASE("rules: CD079 in a 315: without Budget a Product is required") {
    auto s = cut(t315(), "<wmo315:Product>", "</wmo315:Product>", kAp2);
    auto f = one(run(sub(s, "<wmo315:Budget>150000</wmo315:Budget>", "")), "CD079");
    CHECK(f.path() == at(kAp, 2));
    CHECK(names(f, "Product"));
    CHECK(none(run(s), "CD079"));  // a generic request with a budget
  }

  TEST_CASE("rules: CD095 an Omvang on a request requires a product code") {
    // AangevraagdProduct 1: Categorie 03 only, open end.
    const std::string ingang = "<wmo315:ToewijzingIngangsdatum>2025-03-01</wmo315:"
                               "ToewijzingIngangsdatum>";
    auto s = sub(t315(), ingang, ingang + ap_omvang("4"));
    auto r = run(s);
    auto f = one(r, "CD095");
    CHECK(f.path() == at(kAp, 1, "Omvang"));
    CHECK(names(f, "Code"));
    CHECK(none(r, "CD080"));  // the 301's rule does not apply to a 315
    // Near miss: a request that ended on or before 2020-12-31 is exempt.
    const std::string old = "<wmo315:ToewijzingIngangsdatum>2020-01-01</wmo315:"
                            "ToewijzingIngangsdatum><wmo315:ToewijzingEinddatum>2020-12-31"
                            "</wmo315:ToewijzingEinddatum>";
    CHECK(none(run(sub(t315(), ingang, old + ap_omvang("4"))), "CD095"));
    // The day after is not.
    const std::string y2021 = "<wmo315:ToewijzingIngangsdatum>2020-01-01</wmo315:"
                              "ToewijzingIngangsdatum><wmo315:ToewijzingEinddatum>2021-01-01"
                              "</wmo315:ToewijzingEinddatum>";
    CHECK(one(run(sub(t315(), ingang, y2021 + ap_omvang("4"))), "CD095").path() ==
          at(kAp, 1, "Omvang"));
  }

  TEST_CASE("rules: CS002 on the 315 and 317 client") {
    auto f = one(run(sub(t315(), "999900006", "999900007")), "CS002");
    CHECK(f.path() == "/Bericht/Client/Bsn");
    CHECK(names(f, "Bsn"));
    CHECK(f.text.find("999900007") == std::string::npos);  // masked
    CHECK(none(run(sub(t315(), "999900006", "999900018")), "CS002"));
    auto g = one(run(sub(t317(), "999900006", "999900007")), "CS002");
    CHECK(g.path() == "/Bericht/Client/Bsn");
    CHECK(g.text.find("999900007") == std::string::npos);
    CHECK(none(run(sub(t317(), "999900006", "999900018")), "CS002"));
  }

  TEST_CASE("rules: CS003 in a 315: ToewijzingEinddatum before ToewijzingIngangsdatum") {
    auto f = one(run(sub(t315(), "<wmo315:ToewijzingEinddatum>2025-08-31<",
                         "<wmo315:ToewijzingEinddatum>2025-03-09<")),
                 "CS003");
    CHECK(f.path() == at(kAp, 2, "ToewijzingEinddatum"));
    CHECK(f.paths.at(1) == at(kAp, 2, "ToewijzingIngangsdatum"));
    CHECK(names(f, "ToewijzingIngangsdatum"));
    // Near miss: a request for one day.
    CHECK(none(run(sub(t315(), "<wmo315:ToewijzingEinddatum>2025-08-31<",
                       "<wmo315:ToewijzingEinddatum>2025-03-10<")),
               "CS003"));
  }

  TEST_CASE("rules: CS139 on the 315 client") {
    auto f = one(run(sub(t315(), "<iwmo:Datum>1950-05-01<", "<iwmo:Datum>1950-05-17<")), "CS139");
    CHECK(f.path() == "/Bericht/Client/Geboortedatum/Datum");
    CHECK(f.paths.at(1) == "/Bericht/Client/Geboortedatum/DatumGebruik");
    CHECK(names(f, "DatumGebruik"));
    auto s = sub(t315(), "<iwmo:DatumGebruik>1<", "<iwmo:DatumGebruik>2<");
    CHECK(one(run(s), "CS139").path() == "/Bericht/Client/Geboortedatum/Datum");
    CHECK(none(run(sub(s, "<iwmo:Datum>1950-05-01<", "<iwmo:Datum>1950-01-01<")), "CS139"));
  }

  TEST_CASE("rules: CS343 on a 315, not CS338") {
    auto s = sub(t315(), "<iwmo:Eenheid>04<", "<iwmo:Eenheid>16<");
    auto r = run(sub(s, "<iwmo:Frequentie>2<", "<iwmo:Frequentie>1<"));
    auto f = one(r, "CS343");
    CHECK(f.path() == at(kAp, 3, "Omvang/Eenheid"));
    CHECK(names(f, "Frequentie"));
    CHECK(none(r, "CS338"));
    CHECK(none(run(s), "CS343"));  // 16 per week
    CHECK(none(run(sub(s, "<iwmo:Frequentie>2<", "<iwmo:Frequentie>6<")), "CS343"));
    // Near miss: a request that ended on or before 2020-12-31.
    auto old = sub(s, "<iwmo:Frequentie>2<", "<iwmo:Frequentie>1<");
    old = sub(old, "<wmo315:ToewijzingIngangsdatum>2025-03-15<",
              "<wmo315:ToewijzingIngangsdatum>2020-01-01<");
    old = sub(old, "<wmo315:ToewijzingEinddatum>2025-12-31<",
              "<wmo315:ToewijzingEinddatum>2020-12-31<");
    CHECK(none(run(old), "CS343"));
  }

  TEST_CASE("rules: TR002 on the 315 client") {
    auto s = sub(t315(), "<iwmo:DatumGebruik>1</iwmo:DatumGebruik>", "");
    auto f = one(run(sub(s, "1950-05-01", "1905-02-19")), "TR002");
    CHECK(f.path() == "/Bericht/Client/Geboortedatum/Datum");
    CHECK(f.paths.at(1) == kDagtekening);
    CHECK(names(f, "Geboortedatum"));
    CHECK(none(run(sub(s, "1950-05-01", "1905-02-20")), "TR002"));
    // Unknown (DatumGebruik 3 with 1900-01-01) is exempt.
    auto unknown = sub(t315(), "<iwmo:DatumGebruik>1<", "<iwmo:DatumGebruik>3<");
    CHECK(none(run(sub(unknown, "1950-05-01", "1900-01-01")), "TR002"));
  }

  TEST_CASE("rules: TR134 on the 315 Geboortedatum only") {
    auto s = sub(t315(), "<iwmo:DatumGebruik>1</iwmo:DatumGebruik>", "");
    auto f = one(run(sub(s, "1950-05-01", "2025-02-21")), "TR134");
    CHECK(f.path() == "/Bericht/Client/Geboortedatum/Datum");
    CHECK(f.paths.at(1) == kDagtekening);
    CHECK(names(f, "Geboortedatum"));
    CHECK(none(run(sub(s, "1950-05-01", "2025-02-20")), "TR134"));
    // The requested dates lie after the Dagtekening (2025-02-20) in the template: no TR134.
    CHECK(none(run(t315()), "TR134"));
  }

  TEST_CASE("rules: TR101 in a 315 compares ReferentieAanbieder as text") {
    auto r = run(sub(t315(), "<wmo315:ReferentieAanbieder>R315-3<",
                     "<wmo315:ReferentieAanbieder>R315-1<"));
    auto f = one(r, "TR101");
    CHECK(f.path() == at(kAp, 3));
    REQUIRE(f.paths.size() == 2);
    CHECK(f.paths[1] == at(kAp, 1));
    CHECK(names(f, "AangevraagdProduct"));
    // 0123 and 123 differ as text.
    auto s = sub(t315(), "<wmo315:ReferentieAanbieder>R315-1<", "<wmo315:ReferentieAanbieder>123<");
    CHECK(none(run(sub(s, "<wmo315:ReferentieAanbieder>R315-3<",
                       "<wmo315:ReferentieAanbieder>0123<")),
               "TR101"));
    CHECK(one(run(sub(s, "<wmo315:ReferentieAanbieder>R315-3<",
                      "<wmo315:ReferentieAanbieder>123<")),
              "TR101")
              .path() == at(kAp, 3));
  }

  TEST_CASE("rules: TR383 ReferentieAanbieder unique among the requested products") {
    auto f = one(run(sub(t315(), "<wmo315:ReferentieAanbieder>R315-2<",
                         "<wmo315:ReferentieAanbieder>R315-1<")),
                 "TR383");
    CHECK(f.path() == at(kAp, 2));
    CHECK(names(f, "ReferentieAanbieder"));
    CHECK(none(run(t315()), "TR383"));
  }

  TEST_CASE("rules: TR386 overlapping requests for one product") {
    const auto a = ap("A", "01/01A01", "2025-03-01", "2025-06-30", ap_omvang("2"));
    const auto b = ap("B", "01/01A01", "2025-05-01", "2025-12-31", ap_omvang("2"));
    auto f = one(run(with_aps(a + b)), "TR386");
    CHECK(f.path() == at(kAp, 2));
    REQUIRE(f.paths.size() == 2);
    CHECK(f.paths[1] == at(kAp, 1));
    CHECK(names(f, "AangevraagdProduct"));
    // Near miss: the day after the end.
    const auto next = ap("B", "01/01A01", "2025-07-01", "2025-12-31", ap_omvang("2"));
    CHECK(none(run(with_aps(a + next)), "TR386"));
    // Touching on one day overlaps.
    const auto touch = ap("B", "01/01A01", "2025-06-30", "2025-12-31", ap_omvang("2"));
    CHECK(one(run(with_aps(a + touch)), "TR386").path() == at(kAp, 2));
    // Categories 11-14 may overlap.
    const auto a12 = ap("A", "12/12A01", "2025-03-01", "2025-06-30", ap_omvang("2"));
    const auto b12 = ap("B", "12/12A01", "2025-05-01", "2025-12-31", ap_omvang("2"));
    CHECK(none(run(with_aps(a12 + b12)), "TR386"));
    // Another code of the same categorie does not conflict; one without Code does.
    const auto other = ap("B", "01/01A02", "2025-05-01", "2025-12-31", ap_omvang("2"));
    CHECK(none(run(with_aps(a + other)), "TR386"));
    const auto cat = ap("B", "01", "2025-05-01", "2025-12-31", budget("wmo315", "1000"));
    CHECK(one(run(with_aps(a + cat)), "TR386").path() == at(kAp, 2));
    const auto cat2 = ap("B", "02", "2025-05-01", "2025-12-31", budget("wmo315", "1000"));
    CHECK(none(run(with_aps(a + cat2)), "TR386"));
    // A generic request (no Product) conflicts with everything, except categories 11-14.
    const auto generic = ap("G", "", "2025-04-01", "2025-04-30", budget("wmo315", "1000"));
    CHECK(one(run(with_aps(a + generic)), "TR386").path() == at(kAp, 2));
    CHECK(none(run(with_aps(a12 + generic)), "TR386"));
    // Open ends: two open requests overlap; an open one overlaps a closed one iff the closed
    // one ends on or after its start.
    const auto open_c = ap("C", "01/01A01", "2025-03-01", "", ap_omvang("4"));
    const auto open_d = ap("D", "01/01A01", "2026-01-01", "", ap_omvang("4"));
    CHECK(one(run(with_aps(open_c + open_d)), "TR386").path() == at(kAp, 2));
    CHECK(one(run(with_aps(open_c + b)), "TR386").path() == at(kAp, 2));
    CHECK(none(run(with_aps(b + open_d)), "TR386"));  // B ends 2025-12-31, D starts 2026
    CHECK(none(run(with_aps(open_d + b)), "TR386"));
  }

  // ---- 317 -------------------------------------------------------------------------------

  TEST_CASE("rules: CD041 in a 317: a new product's code requires an Omvang") {
    auto f = one(run(cut(t317(), "<wmo317:Omvang>", "</wmo317:Omvang>", kNp1)), "CD041");
    CHECK(f.path() == at(kNp, 1));
    CHECK(f.paths.at(1) == at(kNp, 1, "Product/Code"));
    CHECK(names(f, "NieuwProduct"));
    // Near miss: a TeWijzigenProduct (no Product) without Omvang.
    CHECK(none(run(cut(t317(), "<wmo317:Omvang>", "</wmo317:Omvang>", kTw)), "CD041"));
  }

  TEST_CASE("rules: CD075 in a 317: a Budget requires an Einddatum") {
    auto f = one(run(sub(t317(), "<wmo317:Einddatum>2025-10-31</wmo317:Einddatum>", "")), "CD075");
    CHECK(f.path() == at(kNp, 2, "Budget"));
    CHECK(names(f, "Einddatum"));
    auto tw = cut(t317(), "<wmo317:Omvang>", "</wmo317:Omvang>", kTw);
    tw = sub(tw, "</wmo317:TeWijzigenProduct>", budget("wmo317", "5000") + "</wmo317:TeWijzigenProduct>");
    CHECK(none(run(tw), "CD075"));
    auto g = one(run(sub(tw, "<wmo317:Einddatum>2025-12-31</wmo317:Einddatum>", "")), "CD075");
    CHECK(g.path() == at(kTwp, "Budget"));
    CHECK(names(g, "TeWijzigenProduct"));
  }

  TEST_CASE("rules: CD076 in a 317: a weekly volume requires an Einddatum") {
    auto f = one(run(sub(t317(), "<wmo317:Einddatum>2025-12-31</wmo317:Einddatum>", "")), "CD076");
    CHECK(f.path() == at(kTwp, "Omvang/Frequentie"));
    CHECK(names(f, "Einddatum"));
    auto g = one(run(sub(t317(), "<wmo317:Einddatum>2025-11-30</wmo317:Einddatum>", "")), "CD076");
    CHECK(g.path() == at(kNp, 1, "Omvang/Frequentie"));
    auto monthly = sub(t317(), "<iwmo:Frequentie>2<", "<iwmo:Frequentie>4<");
    CHECK(none(run(sub(monthly, "<wmo317:Einddatum>2025-12-31</wmo317:Einddatum>", "")), "CD076"));
  }

  TEST_CASE("rules: CD077 and CD078 in a 317: Budget and Omvang exclude each other") {
    auto r = run(sub(t317(), "</wmo317:TeWijzigenProduct>",
                     budget("wmo317", "5000") + "</wmo317:TeWijzigenProduct>"));
    CHECK(one(r, "CD077").path() == at(kTwp, "Budget"));
    auto o = one(r, "CD078");
    CHECK(o.path() == at(kTwp, "Omvang"));
    CHECK(names(o, "Budget"));
    auto n = run(sub(t317(), "</wmo317:NieuwProduct>",
                     budget("wmo317", "5000") + "</wmo317:NieuwProduct>"));
    auto b = one(n, "CD077");
    CHECK(b.path() == at(kNp, 1, "Budget"));
    CHECK(names(b, "Omvang"));
    CHECK(one(n, "CD078").path() == at(kNp, 1, "Omvang"));
    auto ok = run(t317());
    CHECK(none(ok, "CD077"));
    CHECK(none(ok, "CD078"));
  }

  TEST_CASE("rules: CD079 in a 317: a new product without Budget requires a Product") {
    auto s = cut(t317(), "<wmo317:Product>", "</wmo317:Product>", "</wmo317:NieuwProduct>");
    auto f = one(run(sub(s, "<wmo317:Budget>150000</wmo317:Budget>", "")), "CD079");
    CHECK(f.path() == at(kNp, 2));
    CHECK(names(f, "Product"));
    CHECK(none(run(s), "CD079"));  // a generic new product with a budget
    // A TeWijzigenProduct has no Product and is not subject to CD079.
    CHECK(none(run(cut(t317(), "<wmo317:Omvang>", "</wmo317:Omvang>", kTw)), "CD079"));
  }

  TEST_CASE("rules: CD096 an Omvang on a new product requires a product code") {
    auto s = sub(t317(), "<wmo317:Budget>150000</wmo317:Budget>", np_omvang("2"));
    auto r = run(s);
    auto f = one(r, "CD096");
    CHECK(f.path() == at(kNp, 2, "Omvang"));
    CHECK(names(f, "Code"));
    CHECK(none(r, "CD080"));
    CHECK(none(r, "CD095"));
    // Near miss: ended on or before 2020-12-31 (in a message of 2020).
    auto old = sub(s, "<iwmo:Dagtekening>2025-06-02<", "<iwmo:Dagtekening>2020-05-01<");
    old = sub(old, "<wmo317:GewensteIngangsdatum>2025-08-01<",
              "<wmo317:GewensteIngangsdatum>2020-06-01<");
    old = sub(old, "<wmo317:Einddatum>2025-10-31<", "<wmo317:Einddatum>2020-12-31<");
    CHECK(none(run(old), "CD096"));
    // A TeWijzigenProduct has an Omvang and no Product: not subject to CD096.
    CHECK(none(run(t317()), "CD096"));
  }

  TEST_CASE("rules: CS003 in a 317: Einddatum before GewensteIngangsdatum") {
    auto f = one(run(sub(t317(), "<wmo317:Einddatum>2025-12-31<", "<wmo317:Einddatum>2025-06-30<")),
                 "CS003");
    CHECK(f.path() == at(kTwp, "Einddatum"));
    CHECK(f.paths.at(1) == at(kTwp, "GewensteIngangsdatum"));
    CHECK(names(f, "GewensteIngangsdatum"));
    auto g = one(run(sub(t317(), "<wmo317:Einddatum>2025-11-30<", "<wmo317:Einddatum>2025-07-14<")),
                 "CS003");
    CHECK(g.path() == at(kNp, 1, "Einddatum"));
    CHECK(g.paths.at(1) == at(kNp, 1, "GewensteIngangsdatum"));
    CHECK(none(run(sub(t317(), "<wmo317:Einddatum>2025-12-31<", "<wmo317:Einddatum>2025-07-01<")),
               "CS003"));
    CHECK(none(run(sub(t317(), "<wmo317:Einddatum>2025-11-30<", "<wmo317:Einddatum>2025-07-15<")),
               "CS003"));
  }

  TEST_CASE("rules: CS338 on a 317, not CS343") {
    auto s = sub(t317(), "<iwmo:Eenheid>04<", "<iwmo:Eenheid>16<");
    auto r = run(sub(s, "<iwmo:Frequentie>2<", "<iwmo:Frequentie>1<"));
    auto f = one(r, "CS338");
    CHECK(f.path() == at(kTwp, "Omvang/Eenheid"));
    CHECK(names(f, "Frequentie"));
    CHECK(none(r, "CS343"));
    CHECK(none(run(s), "CS338"));  // 16 per week
    // The new product too.
    auto n = sub(t317(), "<iwmo:Eenheid>04<", "<iwmo:Eenheid>83<", kNp1);
    CHECK(one(run(sub(n, "<iwmo:Frequentie>2<", "<iwmo:Frequentie>1<", kNp1)), "CS338").path() ==
          at(kNp, 1, "Omvang/Eenheid"));
    CHECK(none(run(sub(n, "<iwmo:Frequentie>2<", "<iwmo:Frequentie>4<", kNp1)), "CS338"));
  }

  TEST_CASE("rules: CS338 does not fire on a 315") {
    // A 315 with an AangevraagdProduct Eenheid 14, Frequentie 1: CS343 only.
    auto s = sub(t315(), "<iwmo:Eenheid>04<", "<iwmo:Eenheid>14<");
    auto r = run(sub(s, "<iwmo:Frequentie>2<", "<iwmo:Frequentie>1<"));
    CHECK(none(r, "CS338"));
    CHECK(one(r, "CS343").rule == "CS343");
  }

  TEST_CASE("rules: TR101 in a 317: OngewijzigdProduct and TeWijzigenProduct by ToewijzingNummer") {
    const std::string op101 =
        "<wmo317:OngewijzigdProduct><wmo317:ToewijzingNummer>101</wmo317:ToewijzingNummer>"
        "</wmo317:OngewijzigdProduct>";
    auto f = one(run(sub(t317(), "</wmo317:OngewijzigdeProducten>",
                         op101 + "</wmo317:OngewijzigdeProducten>")),
                 "TR101");
    CHECK(f.path() == at(kOp, 2));
    REQUIRE(f.paths.size() == 2);
    CHECK(f.paths[1] == at(kOp, 1));
    CHECK(names(f, "OngewijzigdProduct"));
    // 0101 and 101 differ as text.
    auto op0101 = sub(op101, ">101<", ">0101<");
    CHECK(none(run(sub(t317(), "</wmo317:OngewijzigdeProducten>",
                       op0101 + "</wmo317:OngewijzigdeProducten>")),
               "TR101"));
    // An OngewijzigdProduct and a TeWijzigenProduct are not siblings.
    CHECK(none(run(sub(t317(), "<wmo317:ToewijzingNummer>102<", "<wmo317:ToewijzingNummer>101<")),
               "TR101"));
    // Two TeWijzigenProducts with the same number.
    const std::string tw =
        "<wmo317:TeWijzigenProduct><wmo317:ToewijzingNummer>102</wmo317:ToewijzingNummer>"
        "<wmo317:GewensteIngangsdatum>2025-08-01</wmo317:GewensteIngangsdatum>"
        "<wmo317:Einddatum>2025-12-31</wmo317:Einddatum>" +
        budget("wmo317", "100") + "</wmo317:TeWijzigenProduct>";
    auto g = one(run(sub(t317(), "</wmo317:TeWijzigenProducten>", tw + "</wmo317:TeWijzigenProducten>")),
                 "TR101");
    CHECK(g.path() == at(kTwp, 2));
    CHECK(g.paths.at(1) == at(kTwp, 1));
    CHECK(names(g, "TeWijzigenProduct"));
    auto tw0102 = sub(tw, ">102<", ">0102<");
    CHECK(none(run(sub(t317(), "</wmo317:TeWijzigenProducten>",
                       tw0102 + "</wmo317:TeWijzigenProducten>")),
               "TR101"));
  }

  TEST_CASE("rules: TR101 in a 317: NieuwProduct by GewensteIngangsdatum, Categorie and Code") {
    const auto a = np("01/01A01", "2025-07-15", "2025-11-30", np_omvang("2"));
    const auto b = np("01/01A01", "2025-07-15", "2025-09-30", np_omvang("2"));
    auto f = one(run(with_nps(a + b)), "TR101");
    CHECK(f.path() == at(kNp, 2));
    REQUIRE(f.paths.size() == 2);
    CHECK(f.paths[1] == at(kNp, 1));
    CHECK(names(f, "NieuwProduct"));
    // Near misses: another date, another code, another categorie.
    CHECK(none(run(with_nps(a + np("01/01A01", "2025-07-16", "2025-09-30", np_omvang("2")))),
               "TR101"));
    CHECK(none(run(with_nps(a + np("01/01A02", "2025-07-15", "2025-09-30", np_omvang("2")))),
               "TR101"));
    CHECK(none(run(with_nps(np("01", "2025-07-15", "2025-09-30", budget("wmo317", "1")) +
                            np("02", "2025-07-15", "2025-09-30", budget("wmo317", "1")))),
               "TR101"));
    // Absent matches absent: two new products without Code (and two without Product).
    CHECK(one(run(with_nps(np("01", "2025-07-15", "2025-09-30", budget("wmo317", "1")) +
                           np("01", "2025-07-15", "2025-08-31", budget("wmo317", "2")))),
              "TR101")
              .path() == at(kNp, 2));
    CHECK(one(run(with_nps(np("", "2025-07-15", "2025-09-30", budget("wmo317", "1")) +
                           np("", "2025-07-15", "2025-08-31", budget("wmo317", "2")))),
              "TR101")
              .path() == at(kNp, 2));
    // Code absent vs present differs.
    CHECK(none(run(with_nps(a + np("01", "2025-07-15", "2025-09-30", budget("wmo317", "1")))),
               "TR101"));
  }

  TEST_CASE("rules: TR352 a Verzoek names an OngewijzigdProduct or TeWijzigenProduct") {
    auto s = cut(t317(), "<wmo317:OngewijzigdeProducten>", "</wmo317:OngewijzigdeProducten>");
    auto f = one(run(cut(s, "<wmo317:TeWijzigenProducten>", "</wmo317:TeWijzigenProducten>")),
                 "TR352");
    CHECK(f.path() == kVerzoek);
    CHECK(names(f, "OngewijzigdProduct"));
    CHECK(none(run(s), "TR352"));  // a TeWijzigenProduct only
    CHECK(none(run(cut(t317(), "<wmo317:TeWijzigenProducten>", "</wmo317:TeWijzigenProducten>")),
               "TR352"));  // an OngewijzigdProduct only
  }

  TEST_CASE("rules: TR353 a Verzoek asks for a TeWijzigenProduct or NieuwProduct") {
    auto s = cut(t317(), "<wmo317:NieuweProducten>", "</wmo317:NieuweProducten>");
    auto f = one(run(cut(s, "<wmo317:TeWijzigenProducten>", "</wmo317:TeWijzigenProducten>")),
                 "TR353");
    CHECK(f.path() == kVerzoek);
    CHECK(names(f, "NieuwProduct"));
    CHECK(none(run(s), "TR353"));  // a TeWijzigenProduct only
    CHECK(none(run(cut(t317(), "<wmo317:TeWijzigenProducten>", "</wmo317:TeWijzigenProducten>")),
               "TR353"));  // a NieuwProduct only
  }

  TEST_CASE("rules: TR380 a new product starts after the Dagtekening") {
    auto f = one(run(sub(t317(), "<wmo317:GewensteIngangsdatum>2025-07-15<",
                         "<wmo317:GewensteIngangsdatum>2025-06-02<")),
                 "TR380");
    CHECK(f.path() == at(kNp, 1, "GewensteIngangsdatum"));
    CHECK(f.paths.at(1) == kDagtekening);
    CHECK(names(f, "GewensteIngangsdatum"));
    CHECK(one(run(sub(t317(), "<wmo317:GewensteIngangsdatum>2025-07-15<",
                      "<wmo317:GewensteIngangsdatum>2025-05-01<")),
              "TR380")
              .rule == "TR380");
    CHECK(none(run(sub(t317(), "<wmo317:GewensteIngangsdatum>2025-07-15<",
                       "<wmo317:GewensteIngangsdatum>2025-06-03<")),
               "TR380"));
    // Not on a TeWijzigenProduct.
    CHECK(none(run(sub(t317(), "<wmo317:GewensteIngangsdatum>2025-07-01<",
                       "<wmo317:GewensteIngangsdatum>2025-06-02<")),
               "TR380"));
  }

  TEST_CASE("rules: TR410 overlapping new products") {
    const auto a = np("01/01A01", "2025-07-01", "2025-09-30", np_omvang("2"));
    const auto b = np("01/01A01", "2025-08-01", "2025-12-31", np_omvang("2"));
    auto f = one(run(with_nps(a + b)), "TR410");
    CHECK(f.path() == at(kNp, 2));
    REQUIRE(f.paths.size() == 2);
    CHECK(f.paths[1] == at(kNp, 1));
    CHECK(names(f, "NieuwProduct"));
    // Touching on one day overlaps; the day after does not.
    CHECK(one(run(with_nps(a + np("01/01A01", "2025-09-30", "2025-12-31", np_omvang("2")))),
              "TR410")
              .path() == at(kNp, 2));
    CHECK(none(run(with_nps(a + np("01/01A01", "2025-10-01", "2025-12-31", np_omvang("2")))),
               "TR410"));
    // Categories 11-14 may overlap.
    CHECK(none(run(with_nps(np("14/14A01", "2025-07-01", "2025-09-30", np_omvang("2")) +
                            np("14/14A01", "2025-08-01", "2025-12-31", np_omvang("2")))),
               "TR410"));
    // Another code does not conflict; same categorie without Code, or no Product, does.
    CHECK(none(run(with_nps(a + np("01/01A02", "2025-08-01", "2025-12-31", np_omvang("2")))),
               "TR410"));
    CHECK(one(run(with_nps(a + np("01", "2025-08-01", "2025-12-31", budget("wmo317", "1")))),
              "TR410")
              .rule == "TR410");
    CHECK(one(run(with_nps(a + np("", "2025-08-01", "2025-12-31", budget("wmo317", "1")))),
              "TR410")
              .rule == "TR410");
    // Open ends.
    const auto open1 = np("01/01A01", "2025-07-01", "", np_omvang("4"));
    const auto open2 = np("01/01A01", "2026-01-01", "", np_omvang("4"));
    CHECK(one(run(with_nps(open1 + open2)), "TR410").path() == at(kNp, 2));
    CHECK(none(run(with_nps(b + open2)), "TR410"));
    CHECK(one(run(with_nps(open1 + b)), "TR410").rule == "TR410");
  }

  // ---- 319 -------------------------------------------------------------------------------

  TEST_CASE("rules: CD085 a refusal needs a RedenAfwijzingVerzoek") {
    auto f = one(run(sub(t319(), "<wmo319:RedenAfwijzingVerzoek>2</wmo319:RedenAfwijzingVerzoek>",
                         "")),
                 "CD085");
    CHECK(f.path() == std::string(kAntwoord) + "/VerzoekAntwoord");
    CHECK(names(f, "RedenAfwijzingVerzoek"));
    CHECK(none(run(t319()), "CD085"));
    // Near miss: VerzoekAntwoord 2 without a reason.
    auto s = sub(t319(), "<wmo319:RedenAfwijzingVerzoek>2</wmo319:RedenAfwijzingVerzoek>", "");
    CHECK(none(run(sub(s, "<wmo319:VerzoekAntwoord>1<", "<wmo319:VerzoekAntwoord>2<")), "CD085"));
  }

  TEST_CASE("rules: CD086 a request under investigation has no RedenAfwijzingVerzoek") {
    auto r = run(sub(t319(), "<wmo319:VerzoekAntwoord>1<", "<wmo319:VerzoekAntwoord>2<"));
    auto f = one(r, "CD086");
    CHECK(f.path() == std::string(kAntwoord) + "/VerzoekAntwoord");
    CHECK(names(f, "RedenAfwijzingVerzoek"));
    CHECK(none(r, "CD085"));
    // Near miss: VerzoekAntwoord 2 without a reason; 1 with one (the template).
    auto s = sub(t319(), "<wmo319:RedenAfwijzingVerzoek>2</wmo319:RedenAfwijzingVerzoek>", "");
    CHECK(none(run(sub(s, "<wmo319:VerzoekAntwoord>1<", "<wmo319:VerzoekAntwoord>2<")), "CD086"));
    CHECK(none(run(t319()), "CD086"));
  }
}
