// Level-2 rules of the WMO305 (start) and WMO307 (stop), DOMAIN.md §8.2 scenarios B1-B4, B13.
#include <doctest/doctest.h>

#include "rules_fixture.hpp"

using namespace istd;
using namespace istd::test::rules;

namespace {

const std::string& t305() {
  static const std::string s = tpl("wmo305.xml");
  return s;
}
const std::string& t307() {
  static const std::string s = tpl("wmo307.xml");
  return s;
}

constexpr const char* kSp = "/Bericht/Client/StartProducten/StartProduct";
constexpr const char* kStp = "/Bericht/Client/StopProducten/StopProduct";


}  // namespace

TEST_SUITE("rules") {
  TEST_CASE("rules: the 305 and 307 templates are free of level-2 findings") {
    CHECK(run(t305()).findings.empty());
    CHECK(run(t307()).findings.empty());
  }

  TEST_CASE("rules: CS058 StatusAanlevering 2 in a 305 (B1)") {
    auto f = one(run(sub(t305(), "<wmo305:StatusAanlevering>1<", "<wmo305:StatusAanlevering>2<")),
                 "CS058");
    CHECK(f.path() == at(kSp, 1, "StatusAanlevering"));
    CHECK(f.paths.at(1) == at(kSp, 1));
    CHECK(none(run(t305()), "CS058"));
    CHECK(none(run(sub(t305(), "<wmo305:StatusAanlevering>1<", "<wmo305:StatusAanlevering>3<")),
               "CS058"));
  }

  TEST_CASE("rules: CS058 StatusAanlevering 9 in a 307") {
    auto f = one(run(sub(t307(), "<wmo307:StatusAanlevering>1<", "<wmo307:StatusAanlevering>9<",
                         "<wmo307:ToewijzingNummer>300202")),
                 "CS058");
    CHECK(f.path() == at(kStp, 2, "StatusAanlevering"));
    CHECK(none(run(sub(t307(), "<wmo307:StatusAanlevering>1<", "<wmo307:StatusAanlevering>3<")),
               "CS058"));
  }

  TEST_CASE("rules: TR018 Einddatum before Begindatum (B2)") {
    auto f = one(run(sub(t307(), "<wmo307:Einddatum>2025-04-15<", "<wmo307:Einddatum>2025-04-01<")),
                 "TR018");
    CHECK(f.path() == at(kStp, 2, "Einddatum"));
    CHECK(f.paths.at(1) == at(kStp, 2, "Begindatum"));
    CHECK(f.text ==
          "StopProduct 2: Einddatum 2025-04-01 is before Begindatum 2025-04-03; the end of "
          "delivery cannot precede its start. Correct the Einddatum (TR018).");
    // Near miss: a stop on the day delivery began.
    CHECK(none(run(sub(t307(), "<wmo307:Einddatum>2025-04-15<", "<wmo307:Einddatum>2025-04-03<")),
               "TR018"));
  }

  TEST_CASE("rules: TR101 two identical StopProducts are reported once with both (B3)") {
    std::string s = sub(t307(), "300202", "300201");
    s = sub(s, "01A12", "01A11");
    s = sub(s, "<wmo307:RedenBeeindiging>19<", "<wmo307:RedenBeeindiging>20<");
    s = sub(s, "<wmo307:Einddatum>2025-04-15<", "<wmo307:Einddatum>2025-04-10<");
    auto f = one(run(s), "TR101");
    CHECK(f.path() == at(kStp, 2));
    REQUIRE(f.paths.size() == 2);
    CHECK(f.paths[1] == at(kStp, 1));
    // Near miss: delete a stop and add one with another RedenBeeindiging (case 4).
    std::string t = sub(t307(), "300202", "300201");
    t = sub(t, "01A12", "01A11");
    t = sub(t, "<wmo307:Einddatum>2025-04-15<", "<wmo307:Einddatum>2025-04-10<");
    t = sub(t, "<wmo307:StatusAanlevering>1<", "<wmo307:StatusAanlevering>3<");
    CHECK(none(run(t), "TR101"));
  }

  TEST_CASE("rules: TR101 in a 305: a delete and a re-add of the same start are duplicates") {
    std::string s = sub(t305(), "300202", "300201");
    s = sub(s, "01A12", "01A11");
    s = sub(s, "<wmo305:Begindatum>2025-04-04<", "<wmo305:Begindatum>2025-04-03<");
    s = sub(s, "<wmo305:StatusAanlevering>1<", "<wmo305:StatusAanlevering>3<");
    auto f = one(run(s), "TR101");
    CHECK(f.path() == at(kSp, 2));
    CHECK(f.paths.at(1) == at(kSp, 1));
    // Near miss: ToewijzingNummer 0300201 is the same number but other text.
    CHECK(none(run(sub(s, "<wmo305:ToewijzingNummer>300201<", "<wmo305:ToewijzingNummer>0300201<")),
               "TR101"));
    // Three of a kind: one finding on the last, with all three locations.
    const std::string sp =
        s.substr(s.find("<wmo305:StartProduct>"),
                 s.find("</wmo305:StartProduct>") + 22 - s.find("<wmo305:StartProduct>"));
    auto three = run(sub(s, "</wmo305:StartProducten>", sp + "</wmo305:StartProducten>"));
    auto g = one(three, "TR101");
    CHECK(g.path() == at(kSp, 3));
    CHECK(g.paths == std::vector<std::string>{at(kSp, 3), at(kSp, 1), at(kSp, 2)});
  }

  TEST_CASE("rules: TR134 a start after the Dagtekening (B4)") {
    auto f =
        one(run(sub(t305(), "<wmo305:Begindatum>2025-04-04<", "<wmo305:Begindatum>2025-04-06<")),
            "TR134");
    CHECK(f.path() == at(kSp, 2, "Begindatum"));
    CHECK(f.paths.at(1) == "/Bericht/Header/BerichtIdentificatie/Dagtekening");
    CHECK(none(run(sub(t305(), "<wmo305:Begindatum>2025-04-04<", "<wmo305:Begindatum>2025-04-05<")),
               "TR134"));
  }

  TEST_CASE("rules: TR134 a stop after the Dagtekening") {
    auto f = one(run(sub(t307(), "<wmo307:Einddatum>2025-04-15<", "<wmo307:Einddatum>2025-04-21<")),
                 "TR134");
    CHECK(f.path() == at(kStp, 2, "Einddatum"));
    CHECK(none(run(sub(t307(), "<wmo307:Einddatum>2025-04-15<", "<wmo307:Einddatum>2025-04-20<")),
               "TR134"));
  }

  TEST_CASE("rules: CS002 Bsn 999900007 in a 305 (B13)") {
    auto r = run(sub(t305(), "999900006", "999900007"));
    auto f = one(r, "CS002");
    CHECK(f.path() == "/Bericht/Client/Bsn");
    CHECK(f.text.find("999900007") == std::string::npos);
    CHECK(none(run(sub(t305(), "999900006", "999900018")), "CS002"));
    // 000000000 passes the official 11-proof; istd adds a warning.
    auto z = run(sub(t305(), "999900006", "000000000"));
    CHECK(z.valid());
    auto w = findings_of(z, "CS002");
    REQUIRE(w.size() == 1);
    CHECK(w[0].severity == Severity::warning);
  }

  TEST_CASE("rules: TR002 and CS139 on the 307 client") {
    auto f = one(run(sub(t307(), "1950-05-17", "1905-04-19")), "TR002");
    CHECK(f.path() == "/Bericht/Client/Geboortedatum/Datum");
    CHECK(none(run(sub(t307(), "1950-05-17", "1905-04-20")), "TR002"));
    const std::string d = "<iwmo:Datum>1950-05-17</iwmo:Datum>";
    CHECK(
        one(run(sub(t307(), d, d + "<iwmo:DatumGebruik>2</iwmo:DatumGebruik>")), "CS139").path() ==
        "/Bericht/Client/Geboortedatum/Datum");
  }

  TEST_CASE("rules: rules do not run on XSD-invalid messages or with --checks xsd") {
    auto bad = sub(t305(), "<wmo305:StatusAanlevering>1<", "<wmo305:StatusAanlevering>2<");
    bad = sub(bad, "<wmo305:Geslacht>2<", "<wmo305:Geslacht>7<");  // not in the enumeration
    auto r = validator().validate(bad, "bad.xml");
    CHECK_FALSE(r.xsd_valid);
    CHECK(findings_of(r, "CS058").empty());
    ValidateOptions o;
    o.checks = Checks::xsd;
    Validator v(bundle(), o);
    auto x = v.validate(sub(t305(), "<wmo305:StatusAanlevering>1<", "<wmo305:StatusAanlevering>2<"),
                        "x.xml");
    CHECK(x.xsd_valid);
    CHECK(x.findings.empty());
  }
}
