#include "core/worklist/render.hpp"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/reconcile/csv.hpp"

namespace istd::worklist {

namespace {

std::string evidence_text(const Item& it) {
  std::string s;
  for (const auto& e : it.evidence)
    s += (s.empty() ? "" : ", ") + (e.date.empty() ? e.message : e.message + " (" + e.date + ")");
  return s;
}

const explain::Entry* entry(const Item& it) { return explain::find(explain::worklist_key(it.kind)); }

}  // namespace

std::string to_text(const Worklist& w, explain::Lang lang, std::size_t limit) {
  std::string s = fmt::format("Worklist on {}: {} open item{}", w.today.to_string(),
                              w.items.size(), w.items.size() == 1 ? "" : "s");
  if (w.items.empty()) return s + ". Nothing is overdue.\n";
  s += "\n";
  std::map<std::string, int> per_kind;
  std::map<std::string, int> per_party;
  for (const auto& it : w.items) {
    ++per_kind[it.kind];
    ++per_party[it.party_role + " " + it.party];
  }
  for (const auto& k : kinds())
    if (per_kind.count(k))
      s += fmt::format("  {:<15} {:>6}  {}\n", k, per_kind[k],
                       explain::title_or_key(explain::worklist_key(k), lang));
  s += "Who must act:\n";
  for (const auto& [p, n] : per_party) s += fmt::format("  {:<20} {:>6}\n", p, n);
  s += "\n";
  std::size_t shown = 0;
  for (const auto& it : w.items) {
    if (limit != 0 && shown++ == limit) {
      s += fmt::format("... and {} more (--limit 0 shows all; --format csv writes every item)\n",
                       w.items.size() - limit);
      break;
    }
    s += fmt::format("{} working day{} overdue (due {})  {}  {} {}\n", it.overdue_working_days,
                     it.overdue_working_days == 1 ? "" : "s", it.due.to_string(), it.kind,
                     it.party_role, it.party);
    s += fmt::format("  client {} at {}{}; concerns {}; awaited {}\n", it.bsn.empty() ? std::string("-") : model::mask_bsn(it.bsn),
                     it.gemeente,
                     it.toewijzing_nummer ? fmt::format(", ToewijzingNummer {}",
                                                        *it.toewijzing_nummer)
                                          : std::string(),
                     it.concerns, it.awaited);
    s += "  " + it.detail + "\n";
    if (!it.evidence.empty()) s += "  evidence: " + evidence_text(it) + "\n";
  }
  s += fmt::format("\n`istd explain {}` (and the other kinds) explains each kind: what it "
                   "means, why it happens and what to do.\n",
                   w.items.front().kind);
  return s;
}

std::string to_csv(const Worklist& w, explain::Lang lang) {
  std::string s = reconcile::csv::row(
      {"kind", "party_role", "party", "gemeente", "bsn", "toewijzing_nummer", "concerns",
       "awaited", "since", "due", "overdue_working_days", "evidence", "detail", "title",
       "action"});
  for (const auto& it : w.items) {
    const auto* e = entry(it);
    s += reconcile::csv::row(
        {it.kind, it.party_role, it.party, it.gemeente, it.bsn,
         it.toewijzing_nummer ? std::to_string(*it.toewijzing_nummer) : "", it.concerns,
         it.awaited, it.since.to_string(), it.due.to_string(),
         std::to_string(it.overdue_working_days), evidence_text(it), it.detail,
         e ? e->title.in(lang) : "", e ? e->action.in(lang) : ""});
  }
  return s;
}

std::string to_jsonl(const Worklist& w, explain::Lang lang) {
  std::string s;
  for (const auto& it : w.items) {
    nlohmann::ordered_json j;
    j["kind"] = it.kind;
    j["party_role"] = it.party_role;
    j["party"] = it.party;
    j["gemeente"] = it.gemeente;
    j["bsn"] = it.bsn;
    j["toewijzing_nummer"] = it.toewijzing_nummer ? nlohmann::ordered_json(*it.toewijzing_nummer)
                                                  : nlohmann::ordered_json();
    j["concerns"] = it.concerns;
    j["awaited"] = it.awaited;
    j["since"] = it.since.to_string();
    j["due"] = it.due.to_string();
    j["overdue_working_days"] = it.overdue_working_days;
    auto& ev = j["evidence"] = nlohmann::ordered_json::array();
    for (const auto& e : it.evidence) ev.push_back({{"message", e.message}, {"date", e.date}});
    j["detail"] = it.detail;
    if (const auto* e = entry(it))
      j["explanation"] = {{"title", e->title.in(lang)},
                          {"meaning", e->meaning.in(lang)},
                          {"cause", e->cause.in(lang)},
                          {"action", e->action.in(lang)}};
    j["today"] = w.today.to_string();
    s += j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  }
  return s;
}

}  // namespace istd::worklist
