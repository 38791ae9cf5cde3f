#include "core/worklist/worklist.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "core/util/working_days.hpp"

namespace istd::worklist {

using delivery::State;

namespace {

constexpr int kRetourDays = 3;       // OP090: a retour within 3 working days
constexpr int kAnswer325Days = 10;   // OP090x4: a 325 within 10 working days
constexpr int kStopDays = 5;         // OP272: a 307 within 5 working days
constexpr int kRequestDays = 5;      // OP274: a 301 or 319 within 5 working days of a 315/317
constexpr int kOnderzoekDays = 56;   // OP346: the final answer within 8 weeks of the request

/// The heen-message a retour answers ("WMO302" -> "WMO301").
std::string heen_of(const std::string& retour) {
  if (retour == "WMO302") return "WMO301";
  if (retour == "WMO306") return "WMO305";
  if (retour == "WMO308") return "WMO307";
  if (retour == "WMO316") return "WMO315";
  if (retour == "WMO318") return "WMO317";
  if (retour == "WMO320") return "WMO319";
  return {};
}

std::string retour_of(const std::string& heen) {
  if (heen == "WMO301") return "WMO302";
  if (heen == "WMO305") return "WMO306";
  if (heen == "WMO307") return "WMO308";
  if (heen == "WMO315") return "WMO316";
  if (heen == "WMO317") return "WMO318";
  if (heen == "WMO319") return "WMO320";
  if (heen == "WMO323") return "WMO325";
  return {};
}

struct Context {
  const Options& opt;
  std::map<std::string, std::string> dagtekening;  // "WMO301:<id>" -> Dagtekening
  std::vector<Item> items;

  Evidence evidence(const std::string& name) const {
    auto it = dagtekening.find(name);
    return {name, it == dagtekening.end() ? std::string() : it->second};
  }

  /// Adds the item when `due` has passed by at least one working day.
  void add(Item it) {
    it.overdue_working_days = util::working_days_between(it.due, opt.today);
    if (it.overdue_working_days < 1) return;
    if (!opt.party.empty() && it.party != opt.party) return;
    items.push_back(std::move(it));
  }
};

Item allocation_item(const AllocationFacts& a, const char* kind, const char* awaited) {
  Item it;
  it.kind = kind;
  it.party = a.agb;
  it.party_role = "aanbieder";
  it.gemeente = a.gemeente;
  it.bsn = a.bsn;
  it.toewijzing_nummer = a.nummer;
  it.concerns = a.evidence;
  it.awaited = awaited;
  return it;
}

bool has_state(const AllocationFacts& a, State s) {
  return std::any_of(a.intervals.begin(), a.intervals.end(),
                     [s](const delivery::Interval& i) { return i.state == s; });
}

// start-missing: no live 305 on an allocation whose Ingangsdatum (or later 301) is past the term.
void start_missing(Context& c, const AllocationFacts& a) {
  if (has_state(a, State::delivered) || has_state(a, State::paused) ||
      has_state(a, State::stopped))
    return;  // a live start exists
  Date since = a.ingangsdatum;
  const Evidence e301 = c.evidence(a.evidence);
  if (auto d = model::parse_date(e301.date); d && since < *d) since = *d;  // retroactive 301
  Item it = allocation_item(a, "start-missing", "WMO305");
  it.since = since;
  it.due = util::add_working_days(since, c.opt.policy.start_overdue_days);
  it.evidence = {e301};
  it.detail = fmt::format(
      "Allocation {} (Ingangsdatum {}) has no start: the provider sends a 305 within {} working "
      "days after care starts{}.",
      a.nummer, a.ingangsdatum.to_string(), c.opt.policy.start_overdue_days,
      since == a.ingangsdatum ? "" : " (this 301 came after the Ingangsdatum: counted from it)");
  c.add(std::move(it));
}

// stop-missing: the allocation has ended but its delivery is still open (no definitive 307).
void stop_missing(Context& c, const AllocationFacts& a) {
  if (!a.einddatum) return;
  const State at_end = delivery::state_on(a.intervals, *a.einddatum);
  if (at_end != State::delivered && at_end != State::paused) return;
  Item it = allocation_item(a, "stop-missing", "WMO307");
  it.since = *a.einddatum;
  it.due = util::add_working_days(*a.einddatum, kStopDays);
  it.evidence = {c.evidence(a.evidence)};
  for (const auto& iv : a.intervals)
    if (iv.state == State::delivered || iv.state == State::paused)
      for (const auto& e : iv.evidence) it.evidence.push_back(c.evidence(e));
  it.detail = fmt::format(
      "Allocation {} ended on {} but its delivery is still {} (OP288): the provider sends a "
      "307 with the last day of care within {} working days.",
      a.nummer, a.einddatum->to_string(), at_end == State::paused ? "paused" : "open",
      kStopDays);
  c.add(std::move(it));
}

// pause-open: a pause that neither restarted nor ended after pause_followup_days.
void pause_open(Context& c, const AllocationFacts& a) {
  for (std::size_t i = 0; i < a.intervals.size(); ++i) {
    const auto& iv = a.intervals[i];
    if (iv.state != State::paused) continue;
    bool settled = false;  // a restart or a definitive stop after it
    for (std::size_t j = i + 1; j < a.intervals.size(); ++j)
      settled = settled || a.intervals[j].state == State::delivered ||
                a.intervals[j].state == State::stopped;
    if (settled) continue;
    Item it = allocation_item(a, "pause-open", "WMO305 / WMO307");
    it.since = iv.from;
    it.due = iv.from.add_days(c.opt.policy.pause_followup_days);
    for (const auto& e : iv.evidence) it.evidence.push_back(c.evidence(e));
    it.detail = fmt::format(
        "Care on allocation {} is paused since {} (307 reden 20) with neither a restart (305) "
        "nor a definitive stop (307) after {} days. After a whole calendar month of pause the "
        "abonnementstarief should stop: ask the provider whether care resumes.",
        a.nummer, iv.from.to_string(), c.opt.policy.pause_followup_days);
    c.add(std::move(it));
  }
}

// request-open: a 315/317 reference neither honoured by a 301 nor refused by a 319 in time.
void requests_open(Context& c, const std::vector<RequestFacts>& requests) {
  for (const auto& r : requests) {
    if (!r.open) continue;
    const auto asked = model::parse_date(r.dagtekening);
    if (!asked) continue;
    Item it;
    it.kind = "request-open";
    it.party = r.gemeente;
    it.party_role = "gemeente";
    it.gemeente = r.gemeente;
    it.bsn = r.bsn;
    it.concerns = r.type + ":" + r.identificatie;
    it.awaited = "WMO301 or WMO319";
    it.since = *asked;
    it.evidence = {{it.concerns, r.dagtekening}};
    if (r.in_onderzoek.empty()) {
      it.due = util::add_working_days(*asked, kRequestDays);
      it.detail = fmt::format(
          "{} '{}' of provider {} (Dagtekening {}, ReferentieAanbieder '{}'; {}) has no answer "
          "yet: the gemeente answers with a 301 or a 319 within {} working days.",
          r.type, r.identificatie, r.agb, r.dagtekening, r.referentie, r.summary, kRequestDays);
    } else {
      it.due = asked->add_days(kOnderzoekDays);
      it.evidence.push_back({"WMO319:" + r.answer_identificatie, r.in_onderzoek});
      it.detail = fmt::format(
          "{} '{}' of provider {} (Dagtekening {}, ReferentieAanbieder '{}'; {}) was answered "
          "\"in onderzoek\" on {}; the final answer (a 301, or a 319 refusing it) is due 8 weeks "
          "after the request.",
          r.type, r.identificatie, r.agb, r.dagtekening, r.referentie, r.summary, r.in_onderzoek);
    }
    c.add(std::move(it));
  }
}

// retour-missing: heen-messages (301, 305, 307, 315, 317, 319, 323) whose retour is neither made
// by istd nor received.
void retours_missing(Context& c, const std::vector<MessageFacts>& msgs,
                     const std::vector<AllocationFacts>& allocations) {
  // A 301's client: the allocations it holds.
  std::map<std::string, const AllocationFacts*> of_301;
  for (const auto& a : allocations) of_301.emplace(a.evidence, &a);
  std::set<std::tuple<std::string, std::string, std::string, std::string>> received;
  for (const auto& m : msgs)
    if (auto h = heen_of(m.type); !h.empty())
      received.emplace(h, m.afzender, m.identificatie, m.dagtekening);
  for (const auto& m : msgs) {
    const std::string retour = retour_of(m.type);
    if (retour.empty() || !m.judged || m.quarantined || m.answered) continue;
    if (received.count({m.type, m.afzender, m.identificatie, m.dagtekening})) continue;
    const auto sent = model::parse_date(m.dagtekening);
    if (!sent) continue;
    const bool claim = m.type == "WMO323";
    const bool to_provider = m.type == "WMO301" || m.type == "WMO319";
    Item it;
    it.kind = "retour-missing";
    it.party = m.ontvanger;
    it.party_role = to_provider ? "aanbieder" : "gemeente";
    it.gemeente = to_provider ? m.afzender : m.ontvanger;
    it.concerns = m.type + ":" + m.identificatie;
    it.awaited = retour;
    it.since = *sent;
    it.due = util::add_working_days(*sent, claim ? kAnswer325Days : kRetourDays);
    it.evidence = {{it.concerns, m.dagtekening}};
    if (auto a = of_301.find(it.concerns); a != of_301.end()) it.bsn = a->second->bsn;
    it.detail = fmt::format(
        "{} '{}' of {} (Dagtekening {}) has no {} yet: {} answers within {} working days{}.",
        m.type, m.identificatie, m.afzender, m.dagtekening, retour, m.ontvanger,
        claim ? kAnswer325Days : kRetourDays,
        claim ? " (istd reconcile answers the month's claims)" : "");
    c.add(std::move(it));
  }
}

}  // namespace

const std::vector<std::string>& kinds() {
  static const std::vector<std::string> k{"start-missing", "stop-missing", "pause-open",
                                          "request-open", "retour-missing"};
  return k;
}

Worklist build(const Input& in, const Options& opt) {
  Context c{opt, {}, {}};
  for (const auto& m : in.messages)
    c.dagtekening.emplace(m.type + ":" + m.identificatie, m.dagtekening);
  for (const auto& a : in.allocations) {
    if (a.deleted || opt.today < a.ingangsdatum) continue;
    start_missing(c, a);
    stop_missing(c, a);
    pause_open(c, a);
  }
  requests_open(c, in.requests);
  retours_missing(c, in.messages, in.allocations);
  std::sort(c.items.begin(), c.items.end(), [](const Item& a, const Item& b) {
    if (a.overdue_working_days != b.overdue_working_days)
      return a.overdue_working_days > b.overdue_working_days;
    return std::tie(a.party, a.kind, a.gemeente, a.bsn, a.concerns) <
           std::tie(b.party, b.kind, b.gemeente, b.bsn, b.concerns);
  });
  return {std::move(c.items), opt.today};
}

}  // namespace istd::worklist
