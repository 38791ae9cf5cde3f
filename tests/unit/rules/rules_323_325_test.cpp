// Level-2 rules of the WMO323 (claim) and WMO325 (claim answer), DOMAIN.md §8.2 scenarios B5-B9,
// B14, B15.
#include <doctest/doctest.h>

#include "rules_fixture.hpp"

using namespace istd;
using namespace istd::test::rules;

namespace {

const std::string& t323() {
  static const std::string s = tpl("wmo323.xml");
  return s;
}
const std::string& t325() {
  static const std::string s = tpl("wmo325.xml");
  return s;
}

// Prestaties of the 323 template: client 1 has RN001 (04, 5000 D) and RN002 (83, 24000 D),
// client 2 has RN003 (04, 5000 D). Total 34000 D.
const std::string kPr1 = "/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]";
const std::string kPr2 = "/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[2]";
const std::string kPr3 = "/Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie";
const std::string kRn1 = "RN001<";
const std::string kRn2 = "RN002<";
const std::string kRn3 = "RN003<";
const std::string kDecl = "/Bericht/Declaratie/DeclaratiePeriode";

/// Makes the line with ReferentieNummer `rn` a credit of `vorig`.
std::string credit(std::string s, const std::string& rn, const std::string& vorig) {
  s = sub(s, "<iwmo:ReferentieNummer>" + rn + "</iwmo:ReferentieNummer>",
          "<iwmo:ReferentieNummer>" + rn + "</iwmo:ReferentieNummer><iwmo:VorigReferentieNummer>" +
              vorig + "</iwmo:VorigReferentieNummer>");
  return sub(s, "<iwmo:DebetCredit>D<", "<iwmo:DebetCredit>C<", rn + "<");
}

std::string period(std::string s, const std::string& anchor, const std::string& b,
                   const std::string& e) {
  s = sub(s, "<iwmo:Begindatum>2025-04-01<", "<iwmo:Begindatum>" + b + "<", anchor);
  return sub(s, "<iwmo:Einddatum>2025-04-30<", "<iwmo:Einddatum>" + e + "<", anchor);
}

std::string total(const std::string& s, const std::string& amount, const std::string& dc = "D") {
  auto t = sub(s, "<iwmo:TotaalBedrag>34000<", "<iwmo:TotaalBedrag>" + amount + "<");
  return sub(t, "<iwmo:DebetCredit>D<", "<iwmo:DebetCredit>" + dc + "<",
             "<wmo323:TotaalIngediendBedrag>");
}

}  // namespace

TEST_SUITE("rules") {
  TEST_CASE("rules: the 323 and 325 templates are free of level-2 findings") {
    CHECK(run(t323()).findings.empty());
    CHECK(run(t325()).findings.empty());
  }

  TEST_CASE("rules: CD060 credit if and only if VorigReferentieNummer") {
    auto c = sub(t323(), "<iwmo:DebetCredit>D<", "<iwmo:DebetCredit>C<", kRn3);
    auto f = one(run(c), "CD060");
    CHECK(f.path() == kPr3 + "/IngediendBedrag/DebetCredit");
    auto v = sub(t323(), "<iwmo:ReferentieNummer>RN003</iwmo:ReferentieNummer>",
                 "<iwmo:ReferentieNummer>RN003</iwmo:ReferentieNummer><iwmo:VorigReferentieNummer>"
                 "RN000</iwmo:VorigReferentieNummer>");
    auto g = one(run(v), "CD060");
    CHECK(g.path() == kPr3 + "/ProductReferentie/VorigReferentieNummer");
    CHECK(none(run(credit(t323(), "RN003", "RN000")), "CD060"));
    // The 325 as well.
    auto a = sub(t325(), "<iwmo:DebetCredit>D<", "<iwmo:DebetCredit>C<", "RN001<");
    CHECK(one(run(a), "CD060").path() ==
          "/Bericht/DeclaratieAntwoord/Clienten/Client/Prestaties/Prestatie/IngediendBedrag/"
          "DebetCredit");
  }

  TEST_CASE("rules: CD087 ProductTarief if and only if Eenheid is not 83") {
    auto f = one(run(cut(t323(), "<wmo323:ProductTarief>", "</wmo323:ProductTarief>")), "CD087");
    CHECK(f.path() == kPr1 + "/Eenheid");
    auto g = one(
        run(sub(t323(), "<wmo323:IngediendBedrag>",
                "<wmo323:ProductTarief>100</wmo323:ProductTarief><wmo323:IngediendBedrag>", kRn2)),
        "CD087");
    CHECK(g.path() == kPr2 + "/ProductTarief");
    CHECK(none(run(t323()), "CD087"));
  }

  TEST_CASE("rules: CS100 periods start on or after 2021-01-01") {
    auto f = one(run(period(t323(), kRn1, "2020-12-01", "2020-12-31")), "CS100");
    CHECK(f.path() == kPr1 + "/ProductPeriode/Begindatum");
    CHECK(none(run(period(t323(), kRn1, "2021-01-01", "2021-01-31")), "CS100"));
  }

  TEST_CASE("rules: CS325 an amount of 0 is not credit") {
    auto s = credit(t323(), "RN003", "RN000");
    s = sub(s, "<iwmo:Bedrag>5000<", "<iwmo:Bedrag>0<", kRn3);
    auto f = one(run(s), "CS325");
    CHECK(f.path() == kPr3 + "/IngediendBedrag/DebetCredit");
    CHECK(f.paths.at(1) == kPr3 + "/IngediendBedrag/Bedrag");
    CHECK(none(run(sub(t323(), "<iwmo:Bedrag>5000<", "<iwmo:Bedrag>000<", kRn3)), "CS325"));
    // TotaalToegekendBedrag of a 325.
    auto a = sub(t325(), "<iwmo:TotaalBedrag>29000</iwmo:TotaalBedrag>\n\t\t\t<iwmo:DebetCredit>D<",
                 "<iwmo:TotaalBedrag>0</iwmo:TotaalBedrag>\n\t\t\t<iwmo:DebetCredit>C<");
    CHECK(one(run(a), "CS325").path() ==
          "/Bericht/DeclaratieAntwoord/TotaalToegekendBedrag/DebetCredit");
  }

  TEST_CASE("rules: CS337 a ProductPeriode within one month") {
    auto f = one(run(period(t323(), kRn1, "2025-03-15", "2025-04-30")), "CS337");
    CHECK(f.path() == kPr1 + "/ProductPeriode/Einddatum");
    CHECK(none(run(period(t323(), kRn1, "2025-04-15", "2025-04-30")), "CS337"));
  }

  TEST_CASE("rules: CS339 with Eenheid 83 Bedrag equals GeleverdVolume, numerically") {
    auto f = one(run(sub(t323(), "<wmo323:GeleverdVolume>24000<", "<wmo323:GeleverdVolume>24001<")),
                 "CS339");
    CHECK(f.path() == kPr2 + "/IngediendBedrag/Bedrag");
    CHECK(f.paths.at(1) == kPr2 + "/GeleverdVolume");
    CHECK(none(run(sub(t323(), "<wmo323:GeleverdVolume>24000<", "<wmo323:GeleverdVolume>024000<")),
               "CS339"));
  }

  TEST_CASE("rules: CS340 DeclaratiePeriode of 29 days in April (B7)") {
    auto r = run(sub(t323(), "<iwmo:Einddatum>2025-04-30<", "<iwmo:Einddatum>2025-04-29<",
                     "<wmo323:DeclaratiePeriode>"));
    auto f = one(r, "CS340");
    CHECK(f.path() == kDecl + "/Einddatum");
    // ... and TR319 on every line ending on 04-30.
    auto tr319 = findings_of(r, "TR319");
    REQUIRE(tr319.size() == 3);
    CHECK(tr319[0].path() == kPr1 + "/ProductPeriode/Einddatum");
    auto g = one(run(sub(t323(), "<iwmo:Begindatum>2025-04-01<", "<iwmo:Begindatum>2025-04-02<",
                         "<wmo323:DeclaratiePeriode>")),
                 "CS340");
    CHECK(g.path() == kDecl + "/Begindatum");
    CHECK(none(run(t323()), "CS340"));
  }

  TEST_CASE("rules: TR134 a claim period after the Dagtekening") {
    auto r = run(sub(t323(), "<iwmo:Dagtekening>2025-05-06<", "<iwmo:Dagtekening>2025-03-31<"));
    auto f = findings_of(r, "TR134");
    REQUIRE(f.size() == 4);
    CHECK(f[0].path() == kDecl + "/Begindatum");
    CHECK(f[1].path() == kPr1 + "/ProductPeriode/Begindatum");
    CHECK(none(run(sub(t323(), "<iwmo:Dagtekening>2025-05-06<", "<iwmo:Dagtekening>2025-04-01<")),
               "TR134"));
    auto a = run(sub(t325(), "<iwmo:Dagtekening>2025-05-12<", "<iwmo:Dagtekening>2025-03-31<"));
    CHECK(one(a, "TR134").path() ==
          "/Bericht/DeclaratieAntwoord/Clienten/Client/Prestaties/Prestatie/ProductPeriode/"
          "Begindatum");
  }

  TEST_CASE("rules: TR137 a month is claimed after it ended, and periods are not reversed") {
    auto r = run(sub(t323(), "<iwmo:Dagtekening>2025-05-06<", "<iwmo:Dagtekening>2025-04-29<"));
    auto f = findings_of(r, "TR137");
    REQUIRE(f.size() == 4);
    CHECK(f[0].path() == kDecl + "/Einddatum");
    CHECK(f[0].paths.at(1) == "/Bericht/Header/BerichtIdentificatie/Dagtekening");
    CHECK(none(run(sub(t323(), "<iwmo:Dagtekening>2025-05-06<", "<iwmo:Dagtekening>2025-04-30<")),
               "TR137"));
    auto g = one(run(period(t323(), kRn1, "2025-04-20", "2025-04-10")), "TR137");
    CHECK(g.path() == kPr1 + "/ProductPeriode/Einddatum");
    CHECK(g.paths.at(1) == kPr1 + "/ProductPeriode/Begindatum");
    CHECK(none(run(period(t323(), kRn1, "2025-04-10", "2025-04-10")), "TR137"));
  }

  TEST_CASE("rules: TR315 a line is credited only once in a message") {
    auto s = credit(credit(t323(), "RN001", "OLD1"), "RN003", "OLD1");
    auto f = one(run(s), "TR315");
    CHECK(f.path() == kPr3 + "/ProductReferentie/VorigReferentieNummer");
    CHECK(f.paths.at(1) == kPr1 + "/ProductReferentie/VorigReferentieNummer");
    // Text comparison: a trailing space makes another reference.
    CHECK(none(run(credit(credit(t323(), "RN001", "OLD1"), "RN003", "OLD1 ")), "TR315"));
  }

  TEST_CASE("rules: TR316 no credit of a line of the same message (B8)") {
    auto r = run(credit(t323(), "RN003", "RN001"));
    auto f = one(r, "TR316");
    CHECK(f.path() == kPr3 + "/ProductReferentie/VorigReferentieNummer");
    CHECK(f.paths.at(1) == kPr1 + "/ProductReferentie/ReferentieNummer");
    CHECK(one(r, "TR358").rule == "TR358");  // the total was not adjusted
    CHECK(none(run(credit(t323(), "RN003", "RN000")), "TR316"));
    // Crediting itself.
    CHECK(one(run(credit(t323(), "RN003", "RN003")), "TR316").paths.at(1) ==
          kPr3 + "/ProductReferentie/ReferentieNummer");
  }

  TEST_CASE("rules: TR319 a line for May in an April claim (B6)") {
    auto r = run(period(t323(), kRn1, "2025-05-01", "2025-05-05"));
    auto f = findings_of(r, "TR319");
    REQUIRE(f.size() == 2);
    CHECK(f[0].path() == kPr1 + "/ProductPeriode/Begindatum");
    CHECK(f[1].path() == kPr1 + "/ProductPeriode/Einddatum");
    CHECK(f[0].retourcode == "0001");
    CHECK(none(run(period(t323(), kRn1, "2025-04-01", "2025-04-05")), "TR319"));
  }

  TEST_CASE("rules: TR335 lines older than 5 years") {
    auto s = sub(t323(), "<wmo323:DeclaratieDagtekening>2025-05-06<",
                 "<wmo323:DeclaratieDagtekening>2026-02-01<");
    auto f = one(run(period(s, kRn1, "2021-01-01", "2021-01-31")), "TR335");
    CHECK(f.path() == kPr1 + "/ProductPeriode/Einddatum");
    CHECK(f.paths.at(1) == "/Bericht/Declaratie/DeclaratieDagtekening");
    auto t = sub(t323(), "<wmo323:DeclaratieDagtekening>2025-05-06<",
                 "<wmo323:DeclaratieDagtekening>2026-01-31<");
    CHECK(none(run(period(t, kRn1, "2021-01-01", "2021-01-31")), "TR335"));
  }

  TEST_CASE("rules: TR358 TotaalBedrag 058000 for lines totalling 58000 (B5)") {
    auto s = sub(t323(), "<wmo323:GeleverdVolume>24000<", "<wmo323:GeleverdVolume>48000<");
    s = sub(s, "<iwmo:Bedrag>24000<", "<iwmo:Bedrag>48000<");
    auto f = one(run(total(s, "058000")), "TR358");
    CHECK(f.path() == "/Bericht/Declaratie/TotaalIngediendBedrag/TotaalBedrag");
    CHECK(none(run(total(s, "58000")), "TR358"));
    // A negative sum needs C.
    auto neg = credit(credit(t323(), "RN001", "OLD1"), "RN002", "OLD2");  // -5000 - 24000 + 5000
    CHECK(one(run(total(neg, "24000", "D")), "TR358").rule == "TR358");
    CHECK(none(run(total(neg, "24000", "C")), "TR358"));
  }

  TEST_CASE("rules: TR416 two debit lines for one allocation, product and period (B9)") {
    auto s = sub(t323(), "<wmo323:ToewijzingNummer>20073<", "<wmo323:ToewijzingNummer>20072<");
    s = sub(s, "<wmo323:ProductCode>01A04<", "<wmo323:ProductCode>01A03<");
    auto f = one(run(s), "TR416");
    CHECK(f.path() == kPr2);
    CHECK(f.paths.at(1) == kPr1);
    // Near misses: another period; the same key for another client.
    CHECK(none(run(period(s, kRn2, "2025-04-01", "2025-04-15")), "TR416"));
    CHECK(
        none(run(sub(t323(), "<wmo323:ToewijzingNummer>20074<", "<wmo323:ToewijzingNummer>20072<")),
             "TR416"));
  }

  TEST_CASE("rules: TR101 in a 323: clients by Bsn, prestaties within one client") {
    auto f = one(run(sub(t323(), "999900018", "999900006")), "TR101");
    CHECK(f.path() == "/Bericht/Declaratie/Clienten/Client[2]");
    CHECK(f.paths.at(1) == "/Bericht/Declaratie/Clienten/Client[1]");
    CHECK(f.text.find("999900006") == std::string::npos);
    auto g = one(run(sub(t323(), "RN002<", "RN001<")), "TR101");
    CHECK(g.path() == kPr2);
    CHECK(g.paths.at(1) == kPr1);
    // The same ReferentieNummer for another client is not a TR101 duplicate.
    CHECK(none(run(sub(t323(), "RN003<", "RN001<")), "TR101"));
  }

  TEST_CASE("rules: CS002 in a 323 and a 325") {
    CHECK(one(run(sub(t323(), "999900018", "999900007")), "CS002").path() ==
          "/Bericht/Declaratie/Clienten/Client[2]/Bsn");
    CHECK(one(run(sub(t325(), "999900006", "999900007")), "CS002").path() ==
          "/Bericht/DeclaratieAntwoord/Clienten/Client/Bsn");
    CHECK(none(run(t325()), "CS002"));
  }

  TEST_CASE("rules: TR342 0200 with one rejected line of 5000 (B14)") {
    auto s = sub(t325(), "<iwmo:TotaalBedrag>34000<", "<iwmo:TotaalBedrag>58000<");
    auto f = one(run(sub(s, "<iwmo:TotaalBedrag>29000<", "<iwmo:TotaalBedrag>52000<")), "TR342");
    CHECK(f.path() == "/Bericht/DeclaratieAntwoord/TotaalToegekendBedrag/TotaalBedrag");
    CHECK(f.retourcode == "0001");
    CHECK(none(run(sub(s, "<iwmo:TotaalBedrag>29000<", "<iwmo:TotaalBedrag>53000<")), "TR342"));
  }

  TEST_CASE("rules: TR342 rejected as a whole: nothing approved (B15)") {
    auto s =
        sub(t325(), "<wmo325:RetourCode>0200<", "<wmo325:RetourCode>9333<", "</wmo325:Clienten>");
    auto f = one(run(sub(s, "<iwmo:TotaalBedrag>29000<", "<iwmo:TotaalBedrag>53000<")), "TR342");
    CHECK(f.path() == "/Bericht/DeclaratieAntwoord/TotaalToegekendBedrag/TotaalBedrag");
    CHECK(none(run(sub(s, "<iwmo:TotaalBedrag>29000<", "<iwmo:TotaalBedrag>0<")), "TR342"));
  }

  TEST_CASE("rules: a 323 with thousands of lines is checked quickly") {
    // 3000 copies of client 1 (6000 lines, one Bsn): one TR101 group with 3000 locations; the
    // uniqueness rules must not be quadratic.
    std::string s = t323();
    const auto b = s.find("<wmo323:Client>");
    const auto e = s.find("</wmo323:Clienten>");
    const std::string client = s.substr(b, s.find("</wmo323:Client>") + 16 - b);
    std::string many;
    many.reserve(client.size() * 3000);
    for (int i = 0; i < 3000; ++i) many += client;
    s.replace(b, e - b, many);
    auto r = run(s);
    CHECK(findings_of(r, "TR101").size() == 1);  // all clients have the same Bsn: one group
    CHECK(findings_of(r, "TR358").size() == 1);
  }
}

TEST_SUITE("rules") {
  TEST_CASE("rules: hostile 323: 2000 lines with one ReferentieNummer crediting each other") {
    std::string s = credit(t323(), "RN001", "RN001");
    const auto b = s.find("<wmo323:Prestatie>");
    const std::string line = s.substr(b, s.find("</wmo323:Prestatie>") + 19 - b);
    std::string many;
    for (int i = 0; i < 2000; ++i) many += line;
    s.insert(b, many);
    auto r = run(s);
    auto tr316 = findings_of(r, "TR316");
    CHECK(tr316.size() == 2001);
    for (const auto& f : tr316) CHECK(f.paths.size() <= 12);
    CHECK(findings_of(r, "TR101").size() == 1);
    CHECK(findings_of(r, "TR315").size() == 1);
    CHECK(findings_of(r, "TR101")[0].paths.size() == 2001);
  }
}
