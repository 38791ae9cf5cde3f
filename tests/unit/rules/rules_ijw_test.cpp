// Level-2 rules of iJw 3.2 where they differ from iWmo 3.2: CS318, TR377, TR409 (iJw only),
// CS050 (NaamGebruik 6 for an organisation), the overlap rules without the category exemption,
// the IV095 warning; the official iJw examples with the verdict istd gives; level-1 refusals
// of Wmo values in JW messages. Each finding is paired with a near miss.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>

#include "rules_fixture.hpp"

using namespace istd;
using namespace istd::test;
using namespace istd::test::rules;

namespace {

std::string jw_fixture(const std::string& name) {
  return read_file(std::filesystem::path(ISTD_SOURCE_DIR) / "fixtures" / "messages-ijw" / name);
}

std::string official(const std::string& name) {
  const auto dir = test::reference_dir();
  INFO("ISTD_REFERENCE_DIR must point at shared/reference (set by .ci/run and tools/test.sh)");
  REQUIRE_FALSE(dir.empty());
  const auto p = dir / "ijw-3.2" / "examples" / name;
  REQUIRE(std::filesystem::exists(p));
  return read_file(p);
}

std::set<std::string> rules_of(const ValidationResult& r) {
  std::set<std::string> out;
  for (const auto& f : r.findings) out.insert(f.rule);
  return out;
}

// JW301 with an organisation as voogd (Relatie NaamGebruik 6, no Partnernaam).
const std::string k301 = "JW301-ggz-54-voogd-organisatie.xml";
const std::string k319 = "JW319-afgewezen-woonplaatsbeginsel.xml";
constexpr std::string_view kWpb =
    "<Woonplaatsbeginsel>\n      <Gemeente>0599</Gemeente>\n    </Woonplaatsbeginsel>";

}  // namespace

TEST_SUITE("rules") {
  TEST_CASE("rules iJw: the fixture JW301 and JW319 are valid and typed as iJw") {
    for (const auto& name : {k301, k319}) {
      auto r = run(jw_fixture(name));
      CHECK(model::standard_of(r.type) == model::Standard::ijw);
      CHECK(r.findings.empty());
    }
  }

  TEST_CASE("rules iJw: CS050 allows NaamGebruik 6 for a Relatie without Partnernaam (JW301)") {
    // The fixture's voogd organisation carries 6: no finding in iJw (it would be CS050 in iWmo).
    auto ok = run(jw_fixture(k301));
    CHECK(none(ok, "CS050"));
    // Near miss: NaamGebruik 2 without a Partnernaam is CS050 in iJw too.
    auto bad = run(sub(jw_fixture(k301), "<ijw:NaamGebruik>6<", "<ijw:NaamGebruik>2<"));
    auto f = one(bad, "CS050");
    CHECK(f.paths.size() == 2);
    CHECK(f.paths[0].find("/Relatie") != std::string::npos);
  }

  TEST_CASE("rules iJw: CS318 the client may not have NaamGebruik 6 (JW301)") {
    auto r = run(sub(jw_fixture(k301), "<ijw:NaamGebruik>1<", "<ijw:NaamGebruik>6<"));
    auto f = one(r, "CS318");
    CHECK(f.paths == std::vector<std::string>{"/Bericht/Client/Naam/NaamGebruik"});
    CHECK(none(r, "CS050"));  // without Partnernaam, 6 passes CS050 in iJw
    // Near miss: the client with 1 (the fixture) has no CS318.
    CHECK(none(run(jw_fixture(k301)), "CS318"));
  }

  TEST_CASE("rules iJw: TR377 reden 8 needs the Woonplaatsbeginsel (JW319)") {
    auto r = run(sub(jw_fixture(k319), kWpb, ""));
    auto f = one(r, "TR377");
    CHECK(f.paths == std::vector<std::string>{"/Bericht/Antwoord/RedenAfwijzingVerzoek"});
    CHECK(none(run(jw_fixture(k319)), "TR377"));
  }

  TEST_CASE("rules iJw: TR409 a Woonplaatsbeginsel only with reden 8 (JW319)") {
    auto r = run(sub(jw_fixture(k319), "<RedenAfwijzingVerzoek>8<", "<RedenAfwijzingVerzoek>5<"));
    auto f = one(r, "TR409");
    CHECK(f.paths == std::vector<std::string>{"/Bericht/Antwoord/RedenAfwijzingVerzoek",
                                              "/Bericht/Antwoord/Woonplaatsbeginsel"});
    CHECK(none(r, "TR377"));
    // Near miss: reden 5 without the class.
    auto ok = run(sub(sub(jw_fixture(k319), "<RedenAfwijzingVerzoek>8<", "<RedenAfwijzingVerzoek>5<"),
                      kWpb, ""));
    CHECK(ok.findings.empty());
  }

  TEST_CASE("rules iJw: the VerzoekAntwoord / reden / Woonplaatsbeginsel matrix of JW319") {
    struct Row {
      std::string antwoord, reden;  // "" reden: absent
      bool wpb;
      std::set<std::string> rules;
    };
    const std::vector<Row> rows = {
        {"1", "8", true, {}},
        {"1", "8", false, {"TR377"}},
        {"1", "3", false, {}},
        {"1", "3", true, {"TR409"}},
        {"1", "", false, {"CD085"}},
        {"1", "", true, {"CD085", "IV095"}},
        {"2", "", false, {}},
        {"2", "", true, {"IV095"}},  // passes level 2; a warning only
        {"2", "8", true, {"CD086"}},
        {"2", "8", false, {"CD086", "TR377"}},
        {"2", "3", true, {"CD086", "TR409"}},
        {"2", "3", false, {"CD086"}},
    };
    for (const auto& row : rows) {
      CAPTURE(row.antwoord);
      CAPTURE(row.reden);
      CAPTURE(row.wpb);
      std::string x = sub(jw_fixture(k319), "<VerzoekAntwoord>1<",
                          "<VerzoekAntwoord>" + row.antwoord + "<");
      x = row.reden.empty()
              ? sub(x, "<RedenAfwijzingVerzoek>8</RedenAfwijzingVerzoek>", "")
              : sub(x, "<RedenAfwijzingVerzoek>8<", "<RedenAfwijzingVerzoek>" + row.reden + "<");
      if (!row.wpb) x = sub(x, kWpb, "");
      auto r = run(x);
      CHECK(rules_of(r) == row.rules);
      // Only the IV095 row without other rules is valid (a warning does not reject).
      if (row.rules == std::set<std::string>{"IV095"}) {
        CHECK(r.valid());
        CHECK(r.findings[0].severity == Severity::warning);
      }
    }
  }

  TEST_CASE("rules iJw: TR302 overlapping allocations of one product (JW301)") {
    // A copy of the second allocation (54) under another number overlaps it exactly.
    const std::string x = jw_fixture(k301);
    const auto first = x.find("<ToegewezenProduct>");
    const auto second = x.find("<ToegewezenProduct>", x.find("</ToegewezenProduct>", first));
    const auto second_end = x.find("</ToegewezenProduct>", second) + 20;
    std::string copy = x.substr(second, second_end - second);
    copy = sub(copy, "<ToewijzingNummer>", "<ToewijzingNummer>9");  // another number
    auto with = [&](const std::string& c) {
      std::string two = x;
      two.insert(second_end, "\n      " + c);
      return two;
    };
    auto t = run(with(copy));
    auto f = one(t, "TR302");
    CHECK(f.paths.size() == 2);
    // Near miss: the copy with another product code does not overlap the same product.
    auto other = run(with(sub(copy, "<ijw:Code>54B01<", "<ijw:Code>54B02<")));
    CHECK(none(other, "TR302"));
  }

  TEST_CASE("rules iJw: the official JW examples get the verdicts of the official validation") {
    for (const char* name : {"JW301.xml", "JW302.xml", "JW305.xml", "JW306.xml", "JW307.xml",
                             "JW308.xml", "JW316.xml", "JW319.xml", "JW320.xml", "JW325.xml"}) {
      CAPTURE(name);
      auto r = validator().validate(official(name), name);
      CHECK(r.xsd_valid);
      CHECK(model::standard_of(r.type) == model::Standard::ijw);
      CHECK(r.findings.empty());
    }
    // JW317: NieuwProduct Einddatum before GewensteIngangsdatum; JW323: a duplicate Prestatie.
    auto r317 = validator().validate(official("JW317.xml"), "JW317.xml");
    CHECK(rules_of(r317) == std::set<std::string>{"CS003"});
    auto r323 = validator().validate(official("JW323.xml"), "JW323.xml");
    CHECK(rules_of(r323) == std::set<std::string>{"TR101"});
    // Two examples are not valid as published: level 1.
    for (const char* name : {"JW315.invalid-date.xml", "JW318.invalid-order.xml"}) {
      CAPTURE(name);
      auto r = validator().validate(official(name), name);
      CHECK_FALSE(r.xsd_valid);
      CHECK(rules_of(r) == std::set<std::string>{"XSD"});
    }
  }

  TEST_CASE("rules iJw: Wmo values in JW messages are refused at level 1 (XSD)") {
    // A Wmo category in a JW301; near miss: the iJw category.
    auto bad = validator().validate(
        sub(jw_fixture(k301), "<ijw:Categorie>45<", "<ijw:Categorie>01<"), "case.xml");
    CHECK_FALSE(bad.xsd_valid);
    CHECK(bad.type == model::MessageType::JW301);
    CHECK(validator().validate(jw_fixture(k301), "case.xml").xsd_valid);
    // A Wmo reason of stop (19) in a JW307; near miss: 31 ("volgens plan beëindigd" in iJw).
    const std::string stop = jw_fixture("JW307-stop-reden-34.xml");
    CHECK_FALSE(validator()
                    .validate(sub(stop, "<RedenBeeindiging>34<", "<RedenBeeindiging>19<"), "c.xml")
                    .xsd_valid);
    CHECK(validator()
              .validate(sub(stop, "<RedenBeeindiging>34<", "<RedenBeeindiging>31<"), "c.xml")
              .xsd_valid);
    // The basisschema elements of a JW message in the iWmo basisschema namespace.
    auto mixed = validator().validate(
        sub(jw_fixture(k301), "http://www.istandaarden.nl/ijw/3_2/basisschema/schema",
            "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"),
        "case.xml");
    CHECK_FALSE(mixed.xsd_valid);
  }
}
