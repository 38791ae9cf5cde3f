// Level-2 rules of the WMO301 (allocation): a trigger and a near miss per rule, and the
// DOMAIN.md §8.2 scenarios B10-B12.
#include <doctest/doctest.h>

#include "rules_fixture.hpp"

using namespace istd;
using namespace istd::test::rules;

namespace {

const std::string& t301() {
  static const std::string s = tpl("wmo301.xml");
  return s;
}

constexpr const char* kTp = "/Bericht/Client/ToegewezenProducten/ToegewezenProduct";
constexpr const char* kContact = "/Bericht/Client/Contactgegevens/Contact";

/// One ToegewezenProduct. `product`: "" (none), "01" (Categorie only) or "01/01A01".
/// `tail`: elements after Einddatum (RedenWijziging, Omvang, Budget).
std::string tp(const std::string& nr, const std::string& product, const std::string& ingang,
               const std::string& eind, const std::string& tail) {
  std::string s =
      "<wmo301:ToegewezenProduct><wmo301:ToewijzingNummer>" + nr + "</wmo301:ToewijzingNummer>";
  if (!product.empty()) {
    s += "<wmo301:Product><iwmo:Categorie>" + product.substr(0, 2) + "</iwmo:Categorie>";
    if (product.size() > 3) s += "<iwmo:Code>" + product.substr(3) + "</iwmo:Code>";
    s += "</wmo301:Product>";
  }
  s += "<wmo301:Toewijzingsdatum>2025-02-20</wmo301:Toewijzingsdatum>"
       "<wmo301:Toewijzingstijd>10:15:00</wmo301:Toewijzingstijd>"
       "<wmo301:Ingangsdatum>" +
       ingang + "</wmo301:Ingangsdatum>";
  if (!eind.empty()) s += "<wmo301:Einddatum>" + eind + "</wmo301:Einddatum>";
  return s + tail + "</wmo301:ToegewezenProduct>";
}

std::string omvang(const std::string& volume, const std::string& eenheid,
                   const std::string& frequentie) {
  return "<wmo301:Omvang><iwmo:Volume>" + volume + "</iwmo:Volume><iwmo:Eenheid>" + eenheid +
         "</iwmo:Eenheid><iwmo:Frequentie>" + frequentie + "</iwmo:Frequentie></wmo301:Omvang>";
}
std::string reden(const std::string& r) {
  return "<wmo301:RedenWijziging>" + r + "</wmo301:RedenWijziging>";
}
std::string budget(const std::string& b) { return "<wmo301:Budget>" + b + "</wmo301:Budget>"; }

/// The 301 template with these allocations instead of its own.
std::string with_tps(const std::string& tps) {
  std::string s = t301();
  const std::string open = "<wmo301:ToegewezenProducten>";
  const auto b = s.find(open) + open.size();
  const auto e = s.find("</wmo301:ToegewezenProducten>");
  return s.replace(b, e - b, tps);
}

std::string tp_path(int i) { return std::string(kTp) + "[" + std::to_string(i) + "]"; }

const std::string kClientContact = "<wmo301:Contactgegevens>";  // anchor

}  // namespace

TEST_SUITE("rules") {
  TEST_CASE("rules: the 301 template is free of level-2 findings") {
    auto r = run(t301());
    CHECK(r.findings.empty());
    CHECK(r.valid());
  }

  TEST_CASE("rules: CD005 Postcode without LandCode") {
    auto f = one(run(sub(t301(), "<iwmo:LandCode>NL</iwmo:LandCode>", "")), "CD005");
    CHECK(f.path() == std::string(kContact) + "/Adres/Postcode");
    CHECK(f.paths.size() == 2);
    // Near miss: neither Postcode nor LandCode.
    auto s = sub(t301(), "<iwmo:LandCode>NL</iwmo:LandCode>", "");
    CHECK(none(run(sub(s, "<iwmo:Postcode>1012AB</iwmo:Postcode>", "")), "CD005"));
  }

  TEST_CASE("rules: CD007 Taal if and only if Vorm is 1") {
    auto f = one(run(sub(t301(), "<iwmo:Taal>Pools</iwmo:Taal>", "")), "CD007");
    CHECK(f.path() == "/Bericht/Client/Communicatie/Vorm");
    auto g = one(run(sub(t301(), "<iwmo:Vorm>1</iwmo:Vorm>", "<iwmo:Vorm>2</iwmo:Vorm>")), "CD007");
    CHECK(g.path() == "/Bericht/Client/Communicatie/Taal");
    auto s = sub(t301(), "<iwmo:Vorm>1</iwmo:Vorm>", "<iwmo:Vorm>2</iwmo:Vorm>");
    CHECK(none(run(sub(s, "<iwmo:Taal>Pools</iwmo:Taal>", "")), "CD007"));
  }

  TEST_CASE("rules: CD009 Periode only on a temporary address") {
    const std::string periode =
        "<wmo301:Periode><iwmo:Begindatum>2025-01-01</iwmo:Begindatum></wmo301:Periode>";
    auto f =
        one(run(sub(t301(), "</wmo301:Contact>", periode + "</wmo301:Contact>", kClientContact)),
            "CD009");
    CHECK(f.path() == std::string(kContact) + "/Periode");
    CHECK(f.paths.at(1) == std::string(kContact) + "/Soort");
    // Near miss: a second contact, Soort 04, with a Periode.
    const std::string tijdelijk =
        "<wmo301:Contact><wmo301:Soort>04</wmo301:Soort><wmo301:Telefoon><iwmo:Telefoon01>"
        "<iwmo:Telefoonnummer>0612345678</iwmo:Telefoonnummer><iwmo:Landnummer>0031"
        "</iwmo:Landnummer></iwmo:Telefoon01></wmo301:Telefoon>" +
        periode + "</wmo301:Contact></wmo301:Contactgegevens>";
    CHECK(none(run(sub(t301(), "</wmo301:Contactgegevens>", tijdelijk)), "CD009"));
  }

  TEST_CASE("rules: CD025 a Dutch address needs a Huisnummer") {
    auto no_huis = cut(t301(), "<iwmo:Huis>", "</iwmo:Huis>");
    auto f = one(run(no_huis), "CD025");
    CHECK(f.path() == std::string(kContact) + "/Adres/LandCode");
    CHECK(none(run(sub(no_huis, "<iwmo:LandCode>NL<", "<iwmo:LandCode>BE<")), "CD025"));
  }

  TEST_CASE("rules: CD034 Soort 01 or 03 requires a Postcode") {
    auto s = sub(t301(), "<iwmo:LandCode>NL</iwmo:LandCode>", "");
    auto f = one(run(sub(s, "<iwmo:Postcode>1012AB</iwmo:Postcode>", "")), "CD034");
    CHECK(f.path() == kContact);
    auto soort02 = sub(s, "<wmo301:Soort>01</wmo301:Soort>", "<wmo301:Soort>02</wmo301:Soort>");
    CHECK(none(run(sub(soort02, "<iwmo:Postcode>1012AB</iwmo:Postcode>", "")), "CD034"));
  }

  TEST_CASE("rules: CD041 a product code requires an Omvang") {
    auto f = one(run(cut(t301(), "<wmo301:Omvang>", "</wmo301:Omvang>")), "CD041");
    CHECK(f.path() == tp_path(1));
    CHECK(f.paths.at(1) == tp_path(1) + "/Product/Code");
    CHECK(none(run(t301()), "CD041"));
  }

  TEST_CASE("rules: CD075 a Budget requires an Einddatum") {
    auto f = one(run(sub(t301(), "<wmo301:Einddatum>2025-08-31</wmo301:Einddatum>", "")), "CD075");
    CHECK(f.path() == tp_path(2) + "/Budget");
    CHECK(none(run(t301()), "CD075"));
  }

  TEST_CASE("rules: CD076 a weekly volume requires an Einddatum") {
    auto f = one(run(sub(t301(), "<wmo301:Einddatum>2025-12-31</wmo301:Einddatum>", "")), "CD076");
    CHECK(f.path() == tp_path(1) + "/Omvang/Frequentie");
    auto monthly = sub(t301(), "<iwmo:Frequentie>2<", "<iwmo:Frequentie>4<");
    CHECK(none(run(sub(monthly, "<wmo301:Einddatum>2025-12-31</wmo301:Einddatum>", "")), "CD076"));
  }

  TEST_CASE("rules: CD077 and CD078 Budget and Omvang exclude each other") {
    auto r = run(sub(t301(), "<wmo301:Budget>", omvang("4", "04", "2") + "<wmo301:Budget>"));
    CHECK(one(r, "CD077").path() == tp_path(2) + "/Budget");
    CHECK(one(r, "CD078").path() == tp_path(2) + "/Omvang");
    CHECK(one(r, "CD078").paths.at(1) == tp_path(2) + "/Budget");
    auto ok = run(t301());
    CHECK(none(ok, "CD077"));
    CHECK(none(ok, "CD078"));
  }

  TEST_CASE("rules: CD079 without Budget a Product is required") {
    auto s = cut(t301(), "<wmo301:Product>", "</wmo301:Product>", "<wmo301:ToewijzingNummer>102");
    auto f = one(run(sub(s, "<wmo301:Budget>150000</wmo301:Budget>", "")), "CD079");
    CHECK(f.path() == tp_path(2));
    CHECK(none(run(s), "CD079"));  // a generic allocation with a budget
  }

  TEST_CASE("rules: CD080 an Omvang requires a product code") {
    auto no_code = sub(t301(), "<iwmo:Code>01A01</iwmo:Code>", "");
    auto f = one(run(no_code), "CD080");
    CHECK(f.path() == tp_path(1) + "/Omvang");
    // Near miss: allocations ended on or before 2020-12-31 are exempt.
    auto old = sub(no_code, "<wmo301:Einddatum>2025-12-31<", "<wmo301:Einddatum>2020-12-31<");
    old = sub(old, "<wmo301:Ingangsdatum>2025-03-01<", "<wmo301:Ingangsdatum>2020-01-01<");
    CHECK(none(run(old), "CD080"));
  }

  TEST_CASE("rules: CS003 Einddatum before Ingangsdatum") {
    auto f = one(run(sub(t301(), "<wmo301:Einddatum>2025-12-31<", "<wmo301:Einddatum>2025-02-28<")),
                 "CS003");
    CHECK(f.path() == tp_path(1) + "/Einddatum");
    CHECK(f.paths.at(1) == tp_path(1) + "/Ingangsdatum");
    CHECK(none(run(sub(t301(), "<wmo301:Einddatum>2025-12-31<", "<wmo301:Einddatum>2025-03-01<")),
               "CS003"));
    // Contact/Periode as well.
    const std::string bad =
        "<wmo301:Periode><iwmo:Begindatum>2025-05-01</iwmo:Begindatum><iwmo:Einddatum>2025-04-01"
        "</iwmo:Einddatum></wmo301:Periode></wmo301:Contact>";
    auto c = one(run(sub(t301(), "</wmo301:Contact>", bad, kClientContact)), "CS003");
    CHECK(c.path() == std::string(kContact) + "/Periode/Einddatum");
  }

  TEST_CASE("rules: CS050 NaamGebruik and Partnernaam") {
    auto f = one(run(sub(t301(), "<iwmo:NaamGebruik>1<", "<iwmo:NaamGebruik>2<")), "CS050");
    CHECK(f.path() == "/Bericht/Client/Naam/NaamGebruik");
    const std::string partner =
        "</iwmo:Geslachtsnaam><iwmo:Partnernaam><iwmo:Achternaam>Jansen</iwmo:Achternaam>"
        "</iwmo:Partnernaam>";
    auto with_partner = sub(t301(), "</iwmo:Geslachtsnaam>", partner);
    CHECK(none(run(sub(with_partner, "<iwmo:NaamGebruik>1<", "<iwmo:NaamGebruik>2<")), "CS050"));
    auto g = one(run(sub(with_partner, "<iwmo:NaamGebruik>1<", "<iwmo:NaamGebruik>5<")), "CS050");
    CHECK(g.paths.at(1) == "/Bericht/Client/Naam/Partnernaam");
    // A relation's name is checked too.
    auto h =
        one(run(sub(t301(), "<iwmo:NaamGebruik>1<", "<iwmo:NaamGebruik>3<", "<wmo301:Relatie>")),
            "CS050");
    CHECK(h.path() == "/Bericht/Client/Relaties/Relatie/Naam/NaamGebruik");
  }

  TEST_CASE("rules: CS089 a Dutch postcode is 1234AB") {
    auto f = one(run(sub(t301(), "1012AB", "1012 AB")), "CS089");
    CHECK(f.path() == std::string(kContact) + "/Adres/LandCode");
    CHECK(f.paths.at(1) == std::string(kContact) + "/Adres/Postcode");
    CHECK(one(run(sub(t301(), "1012AB", "0123AB")), "CS089").rule == "CS089");
    CHECK(none(run(sub(t301(), "1012AB", "1012ab")), "CS089"));
  }

  TEST_CASE("rules: CS139 Datum matches DatumGebruik") {
    const std::string d = "<iwmo:Datum>1950-05-17</iwmo:Datum>";
    auto f = one(run(sub(t301(), d, d + "<iwmo:DatumGebruik>1</iwmo:DatumGebruik>")), "CS139");
    CHECK(f.path() == "/Bericht/Client/Geboortedatum/Datum");
    CHECK(f.paths.at(1) == "/Bericht/Client/Geboortedatum/DatumGebruik");
    CHECK(none(
        run(sub(t301(), d,
                "<iwmo:Datum>1950-05-01</iwmo:Datum><iwmo:DatumGebruik>1</iwmo:DatumGebruik>")),
        "CS139"));
    CHECK(one(run(sub(t301(), d, d + "<iwmo:DatumGebruik>2</iwmo:DatumGebruik>")), "CS139").rule ==
          "CS139");
    CHECK(
        one(run(sub(t301(), d,
                    "<iwmo:Datum>1950-01-01</iwmo:Datum><iwmo:DatumGebruik>3</iwmo:DatumGebruik>")),
            "CS139")
            .rule == "CS139");
    CHECK(none(
        run(sub(t301(), d,
                "<iwmo:Datum>1900-01-01</iwmo:Datum><iwmo:DatumGebruik>3</iwmo:DatumGebruik>")),
        "CS139"));
  }

  TEST_CASE("rules: CS338 Eenheid per etmaal/dagdeel needs Frequentie 2, 4 or 6 (B12)") {
    auto s = sub(t301(), "<iwmo:Eenheid>04<", "<iwmo:Eenheid>16<");
    auto f = one(run(sub(s, "<iwmo:Frequentie>2<", "<iwmo:Frequentie>1<")), "CS338");
    CHECK(f.path() == tp_path(1) + "/Omvang/Eenheid");
    CHECK(none(run(s), "CS338"));  // 16 per week
    auto old = sub(s, "<iwmo:Frequentie>2<", "<iwmo:Frequentie>1<");
    old = sub(old, "<wmo301:Einddatum>2025-12-31<", "<wmo301:Einddatum>2020-12-31<");
    old = sub(old, "<wmo301:Ingangsdatum>2025-03-01<", "<wmo301:Ingangsdatum>2020-01-01<");
    CHECK(none(run(old), "CS338"));
  }

  TEST_CASE("rules: CS335 and CS336 RedenWijziging (B11)") {
    const std::string eind = "<wmo301:Einddatum>2025-12-31</wmo301:Einddatum>";
    auto r = run(with_tps(
        tp("101", "01/01A01", "2025-03-01", "2025-12-31", reden("13") + omvang("4", "04", "2")) +
        tp("102", "02", "2025-03-01", "2025-08-31", reden("01") + budget("100"))));
    auto f = one(r, "CS335");
    CHECK(f.path() == tp_path(1) + "/Einddatum");
    CHECK(one(r, "CS336").path() == tp_path(2) + "/RedenWijziging");
    auto ok =
        run(sub(t301(), eind, "<wmo301:Einddatum>2025-03-01</wmo301:Einddatum>" + reden("13")));
    CHECK(none(ok, "CS335"));
    CHECK(none(run(sub(t301(), eind, eind + reden("14"))), "CS336"));
  }

  TEST_CASE("rules: TR006 a contact is reachable") {
    auto f = one(run(cut(t301(), "<wmo301:Telefoon>", "</wmo301:Telefoon>")), "TR006");
    CHECK(f.path() == "/Bericht/Client/Relaties/Relatie/Contact");
    CHECK(none(run(t301()), "TR006"));
  }

  TEST_CASE("rules: TR061 the client has a BRP, correspondence or residence address") {
    auto f = one(run(sub(t301(), "<wmo301:Soort>01<", "<wmo301:Soort>04<")), "TR061");
    CHECK(f.path() == "/Bericht/Client/Contactgegevens");
    CHECK(none(run(sub(t301(), "<wmo301:Soort>01<", "<wmo301:Soort>03<")), "TR061"));
  }

  TEST_CASE("rules: TR002 Geboortedatum at most 120 years before Dagtekening") {
    auto f = one(run(sub(t301(), "1950-05-17", "1905-02-28")), "TR002");
    CHECK(f.path() == "/Bericht/Client/Geboortedatum/Datum");
    CHECK(f.paths.at(1) == "/Bericht/Header/BerichtIdentificatie/Dagtekening");
    CHECK(none(run(sub(t301(), "1950-05-17", "1905-03-01")), "TR002"));
    // Unknown (DatumGebruik 3 with 1900-01-01) is exempt.
    CHECK(none(
        run(sub(t301(), "<iwmo:Datum>1950-05-17</iwmo:Datum>",
                "<iwmo:Datum>1900-01-01</iwmo:Datum><iwmo:DatumGebruik>3</iwmo:DatumGebruik>")),
        "TR002"));
    auto g = one(run(sub(t301(), "1975-09-02", "1900-01-01")), "TR002");
    CHECK(g.path() == "/Bericht/Client/Relaties/Relatie/Geboortedatum/Datum");
  }

  TEST_CASE("rules: TR134 Toewijzingsdatum not after Dagtekening") {
    auto f = one(run(sub(t301(), "<wmo301:Toewijzingsdatum>2025-02-20<",
                         "<wmo301:Toewijzingsdatum>2025-03-02<")),
                 "TR134");
    CHECK(f.path() == tp_path(1) + "/Toewijzingsdatum");
    CHECK(none(run(sub(t301(), "<wmo301:Toewijzingsdatum>2025-02-20<",
                       "<wmo301:Toewijzingsdatum>2025-03-01<")),
               "TR134"));
    CHECK(one(run(sub(t301(), "1975-09-02", "2025-03-02")), "TR134").path() ==
          "/Bericht/Client/Relaties/Relatie/Geboortedatum/Datum");
  }

  TEST_CASE("rules: TR101 in a 301 compares ToewijzingNummer, Soort and Nummer as text") {
    auto f = one(run(sub(t301(), "<wmo301:ToewijzingNummer>102<", "<wmo301:ToewijzingNummer>101<")),
                 "TR101");
    CHECK(f.path() == tp_path(2));
    REQUIRE(f.paths.size() == 2);
    CHECK(f.paths[1] == tp_path(1));
    // 0101 and 101 are the same number but different text: no TR101 (as the XSLT).
    CHECK(none(run(sub(t301(), "<wmo301:ToewijzingNummer>102<", "<wmo301:ToewijzingNummer>0101<")),
               "TR101"));
    // Two contacts of the same Soort.
    const std::string second =
        "<wmo301:Contact><wmo301:Soort>01</wmo301:Soort><wmo301:Telefoon><iwmo:Telefoon01>"
        "<iwmo:Telefoonnummer>0612345678</iwmo:Telefoonnummer><iwmo:Landnummer>0031"
        "</iwmo:Landnummer></iwmo:Telefoon01></wmo301:Telefoon></wmo301:Contact>";
    auto c = run(sub(t301(), "</wmo301:Contactgegevens>", second + "</wmo301:Contactgegevens>"));
    auto g = one(c, "TR101");
    CHECK(g.path() == std::string(kContact) + "[2]");
    CHECK(g.paths.at(1) == std::string(kContact) + "[1]");
    auto other = sub(second, "<wmo301:Soort>01<", "<wmo301:Soort>02<");
    CHECK(none(run(sub(t301(), "</wmo301:Contactgegevens>", other + "</wmo301:Contactgegevens>")),
               "TR101"));
  }

  TEST_CASE("rules: TR302 overlapping allocations of one product (B10)") {
    const auto a = tp("201", "01/01A01", "2023-01-01", "2023-12-31", omvang("4", "04", "2"));
    const auto b = tp("202", "01/01A01", "2023-06-01", "2024-06-30", omvang("4", "04", "2"));
    auto f = one(run(with_tps(a + b)), "TR302");
    CHECK(f.path() == tp_path(2));
    REQUIRE(f.paths.size() == 2);
    CHECK(f.paths[1] == tp_path(1));
    // Near misses: both in category 12 (may overlap); the second one deleted (13).
    const auto a12 = tp("201", "12/12A01", "2023-01-01", "2023-12-31", omvang("4", "04", "2"));
    const auto b12 = tp("202", "12/12A01", "2023-06-01", "2024-06-30", omvang("4", "04", "2"));
    CHECK(none(run(with_tps(a12 + b12)), "TR302"));
    const auto deleted =
        tp("202", "01/01A01", "2023-06-01", "2023-06-01", reden("13") + omvang("4", "04", "2"));
    CHECK(none(run(with_tps(a + deleted)), "TR302"));
    // Touching on one day overlaps; the day after does not.
    const auto touch = tp("202", "01/01A01", "2023-12-31", "", omvang("4", "04", "4"));
    CHECK(one(run(with_tps(a + touch)), "TR302").rule == "TR302");
    const auto next = tp("202", "01/01A01", "2024-01-01", "", omvang("4", "04", "4"));
    CHECK(none(run(with_tps(a + next)), "TR302"));
    // Another code of the same category does not conflict; an aspecific one does.
    const auto other = tp("202", "01/01A02", "2023-06-01", "2024-06-30", omvang("4", "04", "2"));
    CHECK(none(run(with_tps(a + other)), "TR302"));
    CHECK(one(run(sub(t301(), "<iwmo:Categorie>02<", "<iwmo:Categorie>01<")), "TR302").path() ==
          tp_path(2));
    // A generic allocation (no Product) conflicts with everything.
    const auto generic = tp("203", "", "2023-03-01", "2023-03-31", budget("1000"));
    CHECK(one(run(with_tps(a + generic)), "TR302").path() == tp_path(2));
  }

  TEST_CASE("rules: B12 four inconsistent allocations") {
    auto r = run(with_tps(
        tp("301", "01/01A01", "2025-03-01", "2025-12-31", "") +
        tp("302", "02", "2025-03-01", "2025-12-31", omvang("4", "04", "4") + budget("5000")) +
        tp("303", "03/03A01", "2025-03-01", "", omvang("4", "04", "2")) +
        tp("304", "04/04A01", "2025-03-01", "2025-12-31", omvang("4", "16", "1"))));
    CHECK(one(r, "CD041").path() == tp_path(1));
    CHECK(one(r, "CD077").path() == tp_path(2) + "/Budget");
    CHECK(one(r, "CD078").path() == tp_path(2) + "/Omvang");
    CHECK(one(r, "CD076").path() == tp_path(3) + "/Omvang/Frequentie");
    CHECK(one(r, "CS338").path() == tp_path(4) + "/Omvang/Eenheid");
  }

  TEST_CASE("rules: CS002 on the 301 client") {
    auto f = one(run(sub(t301(), "999900006", "999900007")), "CS002");
    CHECK(f.path() == "/Bericht/Client/Bsn");
    CHECK(f.text.find("999900007") == std::string::npos);  // masked
    CHECK(f.text.find("******007") != std::string::npos);
    CHECK(none(run(sub(t301(), "999900006", "999900018")), "CS002"));
  }
}
