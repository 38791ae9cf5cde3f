// istd explain: what a code means, its usual cause and what to do, from the catalogue that every
// output of istd uses (rule codes, retourcodes, claim signals, abonnementstarief findings).
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "core/explain/catalogue.hpp"

namespace istd::cli {
namespace {

class CommandExplain : public Command {
 public:
  void setup(CLI::App& app) override {
    app.description(
        "Explain codes istd reports: a rule code (TR321, CS002, XSD, ...), a retourcode "
        "(9321), a claim signal (in-pause), an abonnementstarief finding (pause, "
        "before-start), a worklist item (start-missing, pause-open) or a reason in the CAK "
        "list (stop-pause, episode-withdrawn). Prints the title, what it means, the usual cause and what to do (who "
        "must send what). Without a code: the list of every code with its title.\n\n"
        "Exit status: 0 every code found, 1 some code unknown, 2 bad option.");
    app.add_option("code", codes_, "Codes to explain (case as shown by istd)");
    app.add_option("--lang", lang_, "nl (Dutch) or en (English)")
        ->check(CLI::IsMember({"nl", "en"}))
        ->capture_default_str();
    app.add_option("--format", format_, "text, or json (the catalogue entries as JSON Lines)")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    app.footer(
        "Examples:\n"
        "  istd explain 9321                 what retourcode 9321 means and what to do\n"
        "  istd explain --lang en TR019 in-pause\n"
        "  istd explain --format json > catalogue.jsonl   every code, for other systems");
  }

  int run() override {
    explain::Lang lang = explain::Lang::nl;
    explain::parse_lang(lang_, &lang);
    std::vector<const explain::Entry*> entries;
    int rc = kOk;
    if (codes_.empty()) {
      for (const auto& e : explain::all()) entries.push_back(&e);
    } else {
      for (const auto& c : codes_) {
        // A bare code is looked up as it is, then as each kind of code.
        const explain::Entry* e = nullptr;
        for (const auto& key : {c, explain::retourcode_key(c), explain::signal_key(c),
                                explain::at_key(c), explain::warning_key(c),
                                explain::worklist_key(c), explain::cak_key(c)})
          if (!e) e = explain::find(key);
        if (!e) {
          std::fprintf(stderr, "istd: no explanation for '%s' (istd explain lists every code)\n",
                       c.c_str());
          rc = kFindings;
          continue;
        }
        entries.push_back(e);
        // A retourcode and a signal may share a word with another kind: show each.
        for (const auto& key : {explain::signal_key(c), explain::at_key(c),
                                explain::worklist_key(c), explain::cak_key(c)})
          if (const auto* other = explain::find(key); other && other != e) entries.push_back(other);
      }
    }
    for (const auto* e : entries) {
      if (format_ == "json") {
        nlohmann::ordered_json j;
        j["key"] = e->key;
        for (auto [name, t] : {std::pair{"title", &e->title},
                               {"meaning", &e->meaning},
                               {"cause", &e->cause},
                               {"action", &e->action}})
          j[name] = {{"nl", t->nl}, {"en", t->en}};
        std::puts(j.dump().c_str());
      } else if (codes_.empty()) {
        std::puts(fmt::format("{:<34} {}", e->key, e->title.in(lang)).c_str());
      } else {
        std::fputs(explain::to_text(*e, lang).c_str(), stdout);
      }
    }
    return rc;
  }

 private:
  std::vector<std::string> codes_;
  std::string lang_ = "nl";
  std::string format_ = "text";
};

}  // namespace

std::unique_ptr<Command> make_explain() { return std::make_unique<CommandExplain>(); }

}  // namespace istd::cli
