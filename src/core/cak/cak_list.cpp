#include "core/cak/cak_list.hpp"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

namespace istd::cak {

using delivery::State;
using reconcile::AtAllocation;

namespace {

/// True when [from, to] holds a whole calendar month.
bool whole_month_within(Date from, Date to) {
  if (to < from) return false;
  const Date first = from.day == 1 ? from : from.last_of_month().add_days(1);
  return first.last_of_month() <= to;
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

struct Person {
  std::vector<const AtAllocation*> allocations;  // relevant, not deleted
};

bool relevant(const AtAllocation& a, const reconcile::Policy& policy) {
  return a.categorie.empty() || !policy.exempt_categories.count(a.categorie);
}

std::vector<std::string> start_evidence(const Person& p, Date start) {
  std::vector<std::string> ev;
  for (const AtAllocation* a : p.allocations)
    for (const auto& iv : a->intervals)
      if (iv.from == start && iv.state != State::ended)
        for (const auto& e : iv.evidence) add_unique(ev, e);
  for (const AtAllocation* a : p.allocations)
    if (a->ingangsdatum == start || ev.empty())
      if (a->ingangsdatum <= start && (!a->einddatum || start <= *a->einddatum))
        add_unique(ev, a->evidence);
  return ev;
}

/// The evidence of a stop and what follows it: a pause, a definitive stop or the allocation's
/// end.
std::pair<std::vector<std::string>, std::string> stop_facts(const Person& p, Date stop) {
  std::vector<std::string> ev;
  State after = State::none;
  const Date next = stop.add_days(1);
  for (const AtAllocation* a : p.allocations) {
    after = delivery::combine(after, delivery::state_on(a->intervals, next));
    for (const auto& iv : a->intervals)
      if (iv.from == next)
        for (const auto& e : iv.evidence) add_unique(ev, e);
    if (a->einddatum && *a->einddatum == stop) add_unique(ev, a->evidence);
  }
  std::string reason = after == State::paused                               ? "stop-pause"
                       : after == State::ended || after == State::none      ? "stop-ended"
                                                                            : "stop";
  if (ev.empty())
    for (const AtAllocation* a : p.allocations)
      if (a->ingangsdatum <= stop && (!a->einddatum || stop <= *a->einddatum))
        add_unique(ev, a->evidence);
  return {ev, reason};
}

void person_episodes(const std::string& gemeente, const std::string& bsn, const Person& p,
                     std::vector<std::pair<Date, std::optional<Date>>> runs, Date today,
                     std::vector<Episode>& out) {
  // Nothing after today.
  runs.erase(std::remove_if(runs.begin(), runs.end(), [&](const auto& r) { return today < r.first; }),
             runs.end());
  for (auto& r : runs)
    if (r.second && today < *r.second) r.second.reset();
  // A gap without a whole calendar month is no gap.
  std::vector<std::pair<Date, std::optional<Date>>> merged;
  for (const auto& r : runs) {
    if (!merged.empty() && merged.back().second &&
        !whole_month_within(merged.back().second->add_days(1), r.first.add_days(-1))) {
      merged.back().second = r.second;
      continue;
    }
    merged.push_back(r);
  }
  for (std::size_t i = 0; i < merged.size(); ++i) {
    Episode e;
    e.gemeente = gemeente;
    e.bsn = bsn;
    e.start = merged[i].first;
    e.stop = merged[i].second;
    e.start_evidence = start_evidence(p, e.start);
    if (e.stop) {
      auto [ev, reason] = stop_facts(p, *e.stop);
      // The last stop, followed by a pause: a stop for the CAK once the pause holds a whole
      // calendar month (until then care may resume within the month).
      if (reason == "stop-pause" && i + 1 == merged.size() &&
          !whole_month_within(e.stop->add_days(1), today)) {
        e.stop.reset();
      } else {
        e.stop_evidence = std::move(ev);
        e.stop_reason = std::move(reason);
      }
    }
    out.push_back(std::move(e));
  }
}

}  // namespace

const std::vector<std::string>& reasons() {
  static const std::vector<std::string> r{"start",      "start-changed", "stop",
                                          "stop-pause", "stop-ended",    "stop-changed",
                                          "stop-withdrawn", "episode-withdrawn"};
  return r;
}

std::vector<Episode> episodes(const std::vector<AtAllocation>& allocations,
                              const std::map<std::string, Date>& geboortedatum,
                              const reconcile::Policy& policy, Date today) {
  std::map<std::string, std::vector<std::size_t>> by_gemeente;
  for (std::size_t i = 0; i < allocations.size(); ++i)
    by_gemeente[allocations[i].gemeente].push_back(i);
  std::vector<Episode> out;
  for (const auto& [gemeente, idx] : by_gemeente) {
    // The check runs per municipality: each reports its own residents' contribution.
    std::vector<AtAllocation> copy;
    const std::vector<AtAllocation>* group = &allocations;
    if (by_gemeente.size() > 1) {
      copy.reserve(idx.size());
      for (std::size_t i : idx) copy.push_back(allocations[i]);
      group = &copy;
    }
    const auto at = reconcile::check_abonnementstarief(*group, geboortedatum, nullptr, today.year,
                                                       today.month, policy);
    std::map<std::string, Person> persons;
    for (const auto& a : *group)
      if (!a.deleted && relevant(a, policy)) persons[a.bsn].allocations.push_back(&a);
    std::map<std::string, std::vector<std::pair<Date, std::optional<Date>>>> runs;
    for (const auto& e : at.episodes) runs[e.bsn].emplace_back(e.start, e.stop);
    for (auto& [bsn, r] : runs) {
      std::sort(r.begin(), r.end());
      person_episodes(gemeente, bsn, persons[bsn], std::move(r), today, out);
    }
  }
  return out;
}

Diff diff(const std::vector<ledger::CakEpisodeRecord>& reported, const std::vector<Episode>& now,
          const std::map<std::pair<std::string, std::string>, std::vector<std::string>>&
              withdraw_evidence) {
  using Key = std::pair<std::string, std::string>;
  std::int64_t next = 1;
  std::map<Key, std::vector<const ledger::CakEpisodeRecord*>> before;
  for (const auto& r : reported) {
    next = std::max(next, r.eb_start_nummer + 1);
    if (!r.withdrawn) before[{r.gemeente, r.bsn}].push_back(&r);
  }
  std::map<Key, std::vector<const Episode*>> after;
  for (const auto& e : now) after[{e.gemeente, e.bsn}].push_back(&e);
  std::set<Key> persons;
  for (const auto& [k, v] : before) persons.insert(k);
  for (const auto& [k, v] : after) persons.insert(k);

  auto date = [](const std::string& s) { return model::parse_date(s).value_or(Date{}); };
  auto opt_date = [&](const std::optional<std::string>& s) -> std::optional<Date> {
    if (!s) return std::nullopt;
    return date(*s);
  };
  static const std::vector<std::string> kNone;
  Diff d;
  for (const Key& person : persons) {
    auto& was = before[person];
    std::sort(was.begin(), was.end(), [](const auto* a, const auto* b) {
      return std::tie(a->startdatum, a->eb_start_nummer) <
             std::tie(b->startdatum, b->eb_start_nummer);
    });
    const auto wev = withdraw_evidence.find(person);
    const auto& why_withdrawn = wev == withdraw_evidence.end() ? kNone : wev->second;
    std::vector<bool> used(was.size(), false);
    std::vector<Change> changes;
    auto change = [&](std::int64_t nr, const char* kind, Date datum, std::optional<Date> previous,
                      int status, std::string reason, std::vector<std::string> ev) {
      changes.push_back({person.first, person.second, nr, kind, datum, previous, status,
                         std::move(reason), std::move(ev)});
    };
    for (const Episode* e : after[person]) {
      std::size_t match = was.size();
      for (std::size_t i = 0; i < was.size() && match == was.size(); ++i) {
        if (used[i]) continue;
        const Date ps = date(was[i]->startdatum);
        const auto pe = opt_date(was[i]->stopdatum);
        const bool overlap = (!e->stop || ps <= *e->stop) && (!pe || e->start <= *pe);
        if (overlap) match = i;
      }
      if (match == was.size()) {
        ledger::CakEpisodeRecord rec;
        rec.eb_start_nummer = next++;
        rec.gemeente = person.first;
        rec.bsn = person.second;
        rec.startdatum = e->start.to_string();
        if (e->stop) rec.stopdatum = e->stop->to_string();
        change(rec.eb_start_nummer, "start", e->start, std::nullopt, 1, "start",
               e->start_evidence);
        if (e->stop)
          change(rec.eb_start_nummer, "stop", *e->stop, std::nullopt, 1, e->stop_reason,
                 e->stop_evidence);
        d.episodes.push_back(std::move(rec));
        continue;
      }
      used[match] = true;
      const ledger::CakEpisodeRecord& p = *was[match];
      ledger::CakEpisodeRecord rec = p;
      const Date ps = date(p.startdatum);
      const auto pe = opt_date(p.stopdatum);
      bool changed = false;
      if (e->start != ps) {
        change(p.eb_start_nummer, "start", e->start, ps, 2, "start-changed", e->start_evidence);
        rec.startdatum = e->start.to_string();
        changed = true;
      }
      if (!pe && e->stop) {
        change(p.eb_start_nummer, "stop", *e->stop, std::nullopt, 1, e->stop_reason,
               e->stop_evidence);
      } else if (pe && !e->stop) {
        std::vector<std::string> ev = why_withdrawn;
        for (const auto& x : e->start_evidence) add_unique(ev, x);
        change(p.eb_start_nummer, "stop", *pe, pe, 3, "stop-withdrawn", std::move(ev));
      } else if (pe && e->stop && *pe != *e->stop) {
        change(p.eb_start_nummer, "stop", *e->stop, pe, 2, "stop-changed", e->stop_evidence);
      }
      if (pe != e->stop) {
        rec.stopdatum = e->stop ? std::optional<std::string>(e->stop->to_string()) : std::nullopt;
        changed = true;
      }
      if (changed) d.episodes.push_back(std::move(rec));
    }
    for (std::size_t i = 0; i < was.size(); ++i) {
      if (used[i]) continue;
      ledger::CakEpisodeRecord rec = *was[i];
      const Date ps = date(rec.startdatum);
      change(rec.eb_start_nummer, "start", ps, ps, 3, "episode-withdrawn", why_withdrawn);
      rec.withdrawn = true;
      d.episodes.push_back(std::move(rec));
    }
    std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
      return std::make_tuple(a.eb_start_nummer, a.kind != "start") <
             std::make_tuple(b.eb_start_nummer, b.kind != "start");
    });
    for (auto& c : changes) d.changes.push_back(std::move(c));
  }
  return d;
}

}  // namespace istd::cak
