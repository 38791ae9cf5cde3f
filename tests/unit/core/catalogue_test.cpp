// The explanation catalogue: well-formed, and an entry for every code istd can emit. The codes
// are taken from the rule table and from the sources themselves (every code literal, every
// signal, abonnementstarief reason and warning site), so a new code without an entry fails here.
#include "core/explain/catalogue.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "core/cak/cak_list.hpp"
#include "core/rules/rules.hpp"
#include "core/worklist/worklist.hpp"

namespace fs = std::filesystem;
namespace explain = istd::explain;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Every capture group 1 of `re` in every C++ source under src/ whose path contains `where`.
std::set<std::string> scan(const std::regex& re, const std::string& where = "") {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(ISTD_SOURCE_DIR) / "src")) {
    const auto ext = e.path().extension();
    if (ext != ".cpp" && ext != ".hpp") continue;
    if (e.path().string().find("explain") != std::string::npos) continue;
    if (!where.empty() && e.path().string().find(where) == std::string::npos) continue;
    const std::string text = slurp(e.path());
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it)
      out.insert((*it)[1].str());
  }
  return out;
}

void require_entries(const std::set<std::string>& keys, const char* what) {
  CAPTURE(what);
  CHECK_FALSE(keys.empty());
  for (const auto& k : keys) {
    CAPTURE(k);
    CHECK_MESSAGE(explain::find(k) != nullptr,
                  "no entry [" << k << "] in src/core/explain/catalogue.txt");
  }
}

}  // namespace

TEST_SUITE("explain") {
  TEST_CASE("explain: the catalogue parses and every entry has both languages") {
    const auto& all = explain::all();
    REQUIRE(all.size() > 50);
    for (const auto& e : all) {
      CAPTURE(e.key);
      for (const auto* t : {&e.title, &e.meaning, &e.cause, &e.action}) {
        CHECK_FALSE(t->nl.empty());
        CHECK_FALSE(t->en.empty());
        // The texts stand alone: no documents users do not have.
        for (const auto* s : {&t->nl, &t->en}) {
          CHECK(s->find("DOMAIN") == std::string::npos);
          CHECK(s->find("\xC2\xA7") == std::string::npos);  // section sign
          CHECK(s->find("shared/") == std::string::npos);
        }
      }
    }
  }

  TEST_CASE("explain: malformed catalogue text is refused with its line") {
    auto bad = [](std::vector<std::string_view> lines) {
      try {
        explain::parse(lines, "t.txt");
      } catch (const std::logic_error& e) {
        return std::string(e.what());
      }
      return std::string();
    };
    CHECK(bad({"[A]", "title.nl: x"}).find("t.txt:1: entry [A] has no title.en") == 0);
    CHECK(bad({"title.nl: x"}).find("t.txt:1:") == 0);
    CHECK(bad({"[A]", "colour.nl: x"}).find("t.txt:2: unknown field") == 0);
    std::vector<std::string_view> ok = {"[A]",           "title.nl: t",   "title.en: t",
                                        "meaning.nl: m", "meaning.en: m", "cause.nl: c",
                                        "cause.en: c",   "action.nl: a",  "action.en: a"};
    CHECK(explain::parse(ok, "t.txt").size() == 1);
    auto twice = ok;
    twice.insert(twice.end(), ok.begin(), ok.end());
    CHECK(bad(twice).find("t.txt:10: [A] appears twice") == 0);
  }

  TEST_CASE("explain: every rule of the rule table has an entry") {
    std::set<std::string> keys;
    for (const auto& r : istd::rules::rule_table()) keys.insert(std::string(r.code));
    require_entries(keys, "rule table");
  }

  TEST_CASE("explain: every code, signal, reason and warning in the sources has an entry") {
    // Rule codes of the standard and istd's own finding kinds.
    std::set<std::string> rules = scan(std::regex(R"re("((?:TR|CD|CS|OP|IV)[0-9]{3})")re"));
    for (const auto& k : scan(std::regex(R"re(rule = "([A-Z][A-Z0-9-]+)")re"))) rules.insert(k);
    for (const auto& k : scan(std::regex(R"re(stop\("([A-Z]+)")re"))) rules.insert(k);
    for (const char* k : {"XML", "XSD", "LIMIT", "REJECTED-301", "GEZAGSDRAGER-MISSING",
                          "WOONPLAATSBEGINSEL"})
      CHECK(rules.count(k) == 1);
    require_entries(rules, "rule codes");

    // Retourcodes: 4-digit codes (0xxx, 8xxx, 9xxx) where findings and answers are made.
    std::set<std::string> codes;
    for (const char* dir : {"/ingest/", "/reconcile/", "/rules/", "validator"})
      for (const auto& c : scan(std::regex(R"re("([089][0-9]{3})")re"), dir))
        codes.insert(explain::retourcode_key(c));
    for (const char* c : {"0001", "0200", "0233", "8001", "9321", "9056", "8848"})
      CHECK(codes.count(explain::retourcode_key(c)) == 1);
    require_entries(codes, "retourcodes");

    // Claim-line signals.
    std::set<std::string> signals;
    for (const auto& s : scan(std::regex(R"re(Signal(?: s)?\{"([a-z-]+)")re"), "signals.cpp"))
      signals.insert(explain::signal_key(s));
    CHECK(signals.size() == 4);
    require_entries(signals, "signals");

    // Abonnementstarief reasons.
    std::set<std::string> reasons;
    const std::regex reason_re(R"re((?:reason = |base\(|return )"([a-z]+(?:-[a-z]+)*)")re");
    for (const auto& r : scan(reason_re, "abonnementstarief.cpp"))
      reasons.insert(explain::at_key(r));
    for (const char* r : {"pause", "before-start", "after-stop", "no-allocation", "start-month",
                          "not-billed", "duplicate-household", "amount-mismatch"})
      CHECK(reasons.count(explain::at_key(r)) == 1);
    require_entries(reasons, "abonnementstarief reasons");

    // Free-text warnings: each site has its entry. A new site must get an entry and be counted.
    std::size_t sites = 0;
    for (const auto& e : fs::recursive_directory_iterator(fs::path(ISTD_SOURCE_DIR) / "src")) {
      if (e.path().extension() != ".cpp") continue;
      const std::string text = slurp(e.path());
      for (auto p = text.find("warnings.push_back("); p != std::string::npos;
           p = text.find("warnings.push_back(", p + 1))
        ++sites;
    }
    CHECK_MESSAGE(sites == 1,
                  "a new warnings.push_back site: add its [warning ...] entry to "
                  "the catalogue and count it here");
    require_entries({explain::warning_key("start-outside-allocation")}, "warnings");
  }

  TEST_CASE("explain: every worklist kind and every CAK reason has an entry") {
    // The kinds and reasons the sources make must all be in the lists...
    std::set<std::string> made;
    for (const auto& k :
         scan(std::regex(R"re((?:allocation_item\(a, |it\.kind = )"([a-z]+(?:-[a-z]+)*)")re"),
              "/worklist/"))
      made.insert(explain::worklist_key(k));
    CHECK(made.size() == 5);
    std::set<std::string> listed;
    for (const auto& k : istd::worklist::kinds()) listed.insert(explain::worklist_key(k));
    CHECK(made == listed);
    require_entries(listed, "worklist kinds");

    made.clear();
    listed.clear();
    for (const auto& r :
         scan(std::regex(R"re("((?:start|stop|episode)(?:-[a-z]+)*)")re"), "cak_list.cpp"))
      made.insert(explain::cak_key(r));
    for (const auto& r : istd::cak::reasons()) listed.insert(explain::cak_key(r));
    for (const auto& k : made) {
      CAPTURE(k);
      CHECK(listed.count(k) == 1);
    }
    CHECK(listed.size() == 8);
    require_entries(listed, "CAK reasons");
  }
}
