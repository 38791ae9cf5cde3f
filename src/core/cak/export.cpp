#include "core/cak/export.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/cak/cak_list.hpp"
#include "core/errors.hpp"
#include "core/reconcile/csv.hpp"
#include "core/reconcile/snapshot.hpp"
#include "core/output/atomic_file.hpp"

namespace istd::cak {

namespace {

/// The plain-language reason of a change, written into the export in its language.
std::string wording(const Change& c, explain::Lang lang) {
  const std::string title = explain::title_or_key(explain::cak_key(c.reason), lang);
  const bool nl = lang == explain::Lang::nl;
  const std::string what = c.kind == "start" ? "EbStartdatum" : "EbStopdatum";
  switch (c.status) {
    case 2:
      return fmt::format(fmt::runtime(nl ? "{}: {} {} wordt {}" : "{}: {} {} becomes {}"), title, what,
                         c.previous ? c.previous->to_string() : "", c.datum.to_string());
    case 3:
      return fmt::format(fmt::runtime(nl ? "{}: {} {} vervalt" : "{}: {} {} is withdrawn"), title, what,
                         c.datum.to_string());
    default:
      return fmt::format("{}: {} {}", title, what, c.datum.to_string());
  }
}

/// Per person, the messages that explain a withdrawal: deleting 305s/307s and deleted
/// allocations.
std::map<std::pair<std::string, std::string>, std::vector<std::string>> withdrawals(
    const std::vector<reconcile::AtAllocation>& allocations) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> out;
  for (const auto& a : allocations) {
    auto& v = out[{a.gemeente, a.bsn}];
    auto add = [&v](const std::string& e) {
      if (!e.empty() && std::find(v.begin(), v.end(), e) == v.end()) v.push_back(e);
    };
    if (a.deleted) add(a.evidence);
    for (const auto& [date, by] : a.deletions) add(by);
  }
  return out;
}

void write_files(const Result& r, const std::function<void(std::string_view)>& point) {
  output::write_file_atomic(r.csv, to_csv(r.export_record, r.lines));
  point("csv-written");
  output::write_file_atomic(r.jsonl, to_jsonl(r.export_record, r.lines));
  point("files-written");
}

}  // namespace

std::string file_stem(std::int64_t number) { return fmt::format("cak-export-{:04d}", number); }

Result run(const std::filesystem::path& db, const Options& opt) {
  ledger::Ledger ledger(db, ledger::OpenOptions{false, ledger::OpenOptions::Sync::full});
  Result r;
  auto point = [&](std::string_view p) {
    if (opt.durability_point) opt.durability_point(p);
  };
  if (opt.rewrite) {
    const auto exports = ledger.cak_exports();
    auto it = std::find_if(exports.begin(), exports.end(),
                           [&](const auto& e) { return e.number == *opt.rewrite; });
    if (it == exports.end())
      throw ConfigError(fmt::format(
          "--export {}: there is no such export in {} ({})", *opt.rewrite, db.string(),
          exports.empty() ? std::string("no export was made yet")
                          : fmt::format("exports 1 to {} exist", exports.back().number)));
    r.export_record = *it;
    r.lines = ledger.cak_lines(it->number);
    r.rewritten = true;
  } else {
    reconcile::LoadOptions lo;
    lo.delivery.stop_einddatum_inclusive = opt.policy.einddatum_inclusive;
    lo.birthdates = opt.policy.minors_exempt;
    lo.history_lines = opt.policy.trigger == reconcile::Trigger::declaration;
    auto snap = reconcile::load_snapshot(db, lo);
    const auto allocations = reconcile::take_at_allocations(snap);
    const auto now = episodes(allocations, snap.geboortedatum, opt.policy, opt.today);
    const auto reported = ledger.cak_episodes();
    const Diff d = diff(reported, now, withdrawals(allocations));
    const auto exports = ledger.cak_exports();
    r.export_record.number = exports.empty() ? 1 : exports.back().number + 1;
    r.export_record.made_on = opt.today.to_string();
    int seq = 0;
    for (const auto& c : d.changes) {
      ledger::CakLineRecord l;
      l.seq = ++seq;
      l.gemeente = c.gemeente;
      l.bsn = c.bsn;
      l.eb_start_nummer = c.eb_start_nummer;
      l.kind = c.kind;
      l.datum = c.datum.to_string();
      if (c.previous) l.previous = c.previous->to_string();
      l.status = c.status;
      l.reason = c.reason;
      l.toelichting = wording(c, opt.lang);
      l.evidence = c.evidence;
      r.lines.push_back(std::move(l));
    }
    r.export_record.line_count = static_cast<std::int64_t>(r.lines.size());
    std::map<std::int64_t, ledger::CakEpisodeRecord> state;
    for (const auto& e : reported) state[e.eb_start_nummer] = e;
    for (const auto& e : d.episodes) state[e.eb_start_nummer] = e;
    for (const auto& [nr, e] : state)
      if (!e.withdrawn) ++(e.stopdatum ? r.stopped : r.running);
    r.csv = opt.out / (file_stem(r.export_record.number) + ".csv");
    r.jsonl = opt.out / (file_stem(r.export_record.number) + ".jsonl");
    write_files(r, point);
    ledger.record_cak_export(r.export_record, r.lines, d.episodes);
    point("recorded");
    return r;
  }
  r.csv = opt.out / (file_stem(r.export_record.number) + ".csv");
  r.jsonl = opt.out / (file_stem(r.export_record.number) + ".jsonl");
  write_files(r, point);
  return r;
}

std::string to_csv(const ledger::CakExportRecord& e, const std::vector<ledger::CakLineRecord>& ls) {
  std::string s = reconcile::csv::row(
      {"Exportnummer", "Aanmaakdatum", "Gemeente", "Bsn", "EbStartNummer", "EbStartdatum",
       "EbStopdatum", "StatusAanlevering", "VorigeDatum", "Reden", "Toelichting", "Berichten"});
  for (const auto& l : ls) {
    std::string ev;
    for (const auto& x : l.evidence) ev += (ev.empty() ? "" : ", ") + x;
    s += reconcile::csv::row({std::to_string(e.number), e.made_on, l.gemeente, l.bsn,
                              std::to_string(l.eb_start_nummer),
                              l.kind == "start" ? l.datum : "", l.kind == "stop" ? l.datum : "",
                              std::to_string(l.status), l.previous.value_or(""), l.reason,
                              l.toelichting, ev});
  }
  return s;
}

std::string to_jsonl(const ledger::CakExportRecord& e,
                     const std::vector<ledger::CakLineRecord>& ls) {
  std::string s;
  for (const auto& l : ls) {
    nlohmann::ordered_json j;
    j["export"] = e.number;
    j["made_on"] = e.made_on;
    j["seq"] = l.seq;
    j["gemeente"] = l.gemeente;
    j["bsn"] = l.bsn;
    j["EbStartNummer"] = l.eb_start_nummer;
    j[l.kind == "start" ? "EbStartdatum" : "EbStopdatum"] = l.datum;
    j["StatusAanlevering"] = l.status;
    j["previous"] = l.previous ? nlohmann::ordered_json(*l.previous) : nlohmann::ordered_json();
    j["reason"] = l.reason;
    j["toelichting"] = l.toelichting;
    j["evidence"] = l.evidence;
    s += j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  }
  return s;
}

std::string summary_text(const Result& r) {
  std::map<int, int> by_status;
  for (const auto& l : r.lines) ++by_status[l.status];
  std::string s = fmt::format(
      "CAK export {} (made on {}){}: {} line{}", r.export_record.number, r.export_record.made_on,
      r.rewritten ? ", written again" : "", r.lines.size(), r.lines.size() == 1 ? "" : "s");
  if (!r.lines.empty())
    s += fmt::format(" ({} new, {} changed, {} withdrawn)", by_status[1], by_status[2],
                     by_status[3]);
  s += "\n";
  if (!r.rewritten)
    s += fmt::format("Episodes as the CAK now knows them: {} running, {} stopped.\n", r.running,
                     r.stopped);
  if (r.lines.empty() && !r.rewritten)
    s += "Nothing changed since the previous export: this export is empty.\n";
  constexpr std::size_t kShown = 20;
  for (std::size_t i = 0; i < r.lines.size() && i < kShown; ++i) {
    const auto& l = r.lines[i];
    s += fmt::format("  {:>3}  {}  {}  EbStartNummer {:<5} {:<5} {}  StatusAanlevering {}  {}\n",
                     l.seq, l.gemeente, model::mask_bsn(l.bsn), l.eb_start_nummer, l.kind,
                     l.datum, l.status, l.reason);
  }
  if (r.lines.size() > kShown)
    s += fmt::format("  ... {} more lines in the CSV\n", r.lines.size() - kShown);
  s += fmt::format("Written: {}\n         {}\n(these files show full BSNs)\n", r.csv.string(),
                   r.jsonl.string());
  return s;
}

}  // namespace istd::cak
