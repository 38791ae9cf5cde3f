#include "core/reconcile/rules_323.hpp"

#include <algorithm>
#include <set>

#include "core/reconcile/volumes.hpp"

namespace istd::reconcile {

using delivery::State;

std::vector<std::string> LineOutcome::codes() const {
  std::vector<std::string> out;
  if (not_assessed) return {"0233"};
  for (const auto& h : hits)
    if (std::find(out.begin(), out.end(), h.code) == out.end()) out.push_back(h.code);
  return out;
}

std::vector<std::string> Judgement::answer_codes() const {
  if (!header_codes.empty()) return header_codes;
  std::vector<std::string> out;
  for (const auto& h : declaratie_hits) out.push_back(h.code);
  if (!out.empty()) return out;
  for (const auto& l : lines)
    if (!l.approved) return {"0200"};
  return {"8001"};
}

namespace {

Date month_first(Date d) { return d.first_of_month(); }

/// TR318: was care delivered by `agb` at `gemeente` in any month strictly between l and p?
bool delivered_between(const History& h, const std::string& agb, const std::string& gemeente,
                       Date l, Date p) {
  const Date from = month_first(l).add_months(1);
  const Date to = month_first(p).add_days(-1);
  if (to < from) return false;
  for (const Allocation* a : h.allocations_of(agb, gemeente)) {
    const auto* iv = h.intervals(a->gemeente, a->nummer);
    if (!iv) continue;
    for (const auto& i : *iv)
      if (i.state == State::delivered && i.from <= to && from <= i.to) return true;
  }
  return false;
}

bool same_month(Date a, Date b) { return a.year == b.year && a.month == b.month; }

struct Ctx {
  History& h;
  const Declaration& d;
  const RuleOptions& opt;
};

/// Net approved volume (comparison unit) and net approved money on an allocation, plus the
/// latest product period end among approved lines.
struct Running {
  std::int64_t volume = 0, money = 0;
  Date latest_end{};
};
Running running(const History& h, const Allocation& a, const std::string& agb) {
  Running r;
  for (const HistLine* l : h.on_allocation(agb, a.gemeente, a.nummer)) {
    if (l->verdict != LineVerdict::approved) continue;
    const std::int64_t sign = l->credit ? -1 : 1;
    r.volume += sign * l->volume * line_factor(a, l->eenheid);
    r.money += sign * (l->eenheid == "83" ? l->volume : l->bedrag);
    if (!l->credit && r.latest_end < l->eind) r.latest_end = l->eind;
  }
  return r;
}

void judge_credit(Ctx& c, const Line& l, const Allocation* a, std::vector<Hit>& hits) {
  (void)a;
  // TR323: VorigReferentieNummer = an earlier approved debit of this provider, identical.
  const HistLine* debit = nullptr;
  if (l.vorig) {
    for (const HistLine* o : c.h.by_referentie(c.d.agb, *l.vorig))
      if (!o->credit && o->verdict == LineVerdict::approved && o->declaration_id != c.d.id)
        debit = o;
  }
  const bool identical = debit && debit->bsn == l.bsn && debit->nummer == l.nummer &&
                         debit->categorie == l.categorie && debit->code == l.code &&
                         debit->begin == l.begin && debit->eind == l.eind &&
                         debit->volume == l.volume && debit->eenheid == l.eenheid &&
                         debit->tarief == l.tarief && debit->bedrag == l.bedrag;
  if (!identical) {
    hits.push_back({"TR323", "8017"});
    return;
  }
  // TR390: no approved credit of the same original line yet.
  if (debit->credited_by) hits.push_back({"TR390", "9390"});
}

void judge_debit(Ctx& c, const Line& l, const Allocation& a, std::vector<Hit>& hits) {
  const std::string& agb = c.d.agb;
  // TR339 / TR340.
  if (a.categorie && !a.categorie->empty() && *a.categorie != l.categorie)
    hits.push_back({"TR339", "9339"});
  if (a.code && !a.code->empty() && *a.code != l.code) hits.push_back({"TR340", "9340"});
  // TR341.
  const Tariff* tariff =
      c.opt.tariffs ? c.opt.tariffs->find(a.gemeente, agb, l.code, l.begin) : nullptr;
  bool unit_ok = true;
  if (a.has_omvang()) {
    unit_ok = l.eenheid == a.eenheid || (a.eenheid == "04" && l.eenheid == "01");
  } else if (tariff) {
    unit_ok = l.eenheid == tariff->eenheid || (tariff->eenheid == "04" && l.eenheid == "01");
  }
  if (!unit_ok) hits.push_back({"TR341", "9341"});
  // TR307 / TR308 / TR387 / TR388.
  if (l.begin < a.ingangsdatum) hits.push_back({"TR307", "9307"});
  if (a.einddatum && *a.einddatum < l.eind) hits.push_back({"TR308", "9308"});
  if (l.begin != std::max(l.begin.first_of_month(), a.ingangsdatum))
    hits.push_back({"TR387", "9387"});
  {
    Date want = l.begin.last_of_month();
    if (a.einddatum && *a.einddatum < want) want = *a.einddatum;
    if (l.eind != want) hits.push_back({"TR388", "9388"});
  }
  // TR319: the product period lies in the current or an earlier claim period.
  if (c.d.periode_eind < l.eind) hits.push_back({"TR319", "9319"});
  // TR389: no approved, not credited debit with the same functional key (same calendar month).
  for (const HistLine* o : c.h.on_allocation(agb, a.gemeente, a.nummer)) {
    if (o->credit || o->verdict != LineVerdict::approved || o->credited_by) continue;
    if (o->categorie == l.categorie && o->code == l.code && same_month(o->begin, l.begin)) {
      hits.push_back({"TR389", "9389"});
      break;
    }
  }
  // TR321 / TR322 (only when the units are comparable).
  if (a.has_omvang() && unit_ok) {
    const std::int64_t v = l.volume * line_factor(a, l.eenheid);
    if (auto max = max_per_period(a, l.begin, l.eind); max && v > *max)
      hits.push_back({"TR321", "9321"});
    const Running r = running(c.h, a, agb);
    const Date latest = std::max(r.latest_end, l.eind);
    if (auto max = max_over_allocation(a, latest); max && r.volume + v > *max)
      hits.push_back({"TR322", "9322"});
  }
  // TR369: budget.
  if (a.budget) {
    const Running r = running(c.h, a, agb);
    const std::int64_t money = l.eenheid == "83" ? l.volume : l.bedrag;
    if (r.money + money > *a.budget) hits.push_back({"TR369", "9369"});
  }
  // TR346 / TR418.
  if (l.eenheid != "83" && l.tarief) {
    bool ok = true;
    if (tariff && (l.eenheid == tariff->eenheid ||
                   (l.eenheid == "01" && tariff->eenheid == "04")))
      ok = amount_ok_with_tariff(l.volume, l.eenheid, *l.tarief, l.bedrag, tariff->tarief,
                                 tariff->eenheid);
    else
      ok = amount_ok(l.volume, l.eenheid, *l.tarief, l.bedrag);
    if (!ok) hits.push_back({"TR346", "9346"});
    if (tariff) {
      auto want = expected_tarief(l.eenheid, tariff->tarief, tariff->eenheid);
      if (want && *want != *l.tarief) hits.push_back({"TR418", "0611"});
    }
  }
}

}  // namespace

Judgement judge(History& h, const Declaration& d, const std::vector<Line>& lines,
                const RuleOptions& opt) {
  Judgement j;
  j.lines.resize(lines.size());
  if (!d.intake_codes.empty()) {
    j.header_codes = d.intake_codes;
    for (auto& o : j.lines) o.not_assessed = true;
    return j;
  }
  // Declaratie level.
  if (h.declaratie_nummer_used(d.agb, d.nummer)) j.declaratie_hits.push_back({"TR333", "9333"});
  if (auto last = h.latest_period(d.agb, d.gemeente)) {
    const Date p = d.periode_begin.first_of_month();
    const Date l = last->first_of_month();
    bool fail = false;
    if (p < l) fail = true;
    else if (l.add_months(1) < p)
      fail = opt.tr318_evidence && delivered_between(h, d.agb, d.gemeente, l, p);
    if (fail) j.declaratie_hits.push_back({"TR318", "8214"});
  }
  if (!j.declaratie_hits.empty()) {
    for (auto& o : j.lines) o.not_assessed = true;
    return j;  // treated as not sent: reserves nothing
  }
  h.add_processed_declaration(d);

  // Client level (TR304, client variant).
  std::set<std::string> bad_clients;
  for (const auto& l : lines)
    if (!h.bsn_known(d.agb, d.gemeente, l.bsn)) bad_clients.insert(l.bsn);
  for (const auto& b : bad_clients) j.client_hits[b].push_back({"TR304", "8187"});

  // Order: credits first, then debits, each in document order (OP366).
  std::vector<std::size_t> order(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    if (lines[x].credit != lines[y].credit) return lines[x].credit;
    return lines[x].position < lines[y].position;
  });
  // TR314 inside the message: a ReferentieNummer already used by an earlier line (document order).
  std::set<std::size_t> dup_in_message;
  {
    std::set<std::string> seen;
    std::vector<std::size_t> doc(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) doc[i] = i;
    std::stable_sort(doc.begin(), doc.end(),
                     [&](std::size_t x, std::size_t y) { return lines[x].position < lines[y].position; });
    for (std::size_t i : doc)
      if (!seen.insert(lines[i].referentie).second) dup_in_message.insert(i);
  }

  Ctx c{h, d, opt};
  for (std::size_t i : order) {
    const Line& l = lines[i];
    LineOutcome& o = j.lines[i];
    Line rec = l;
    rec.agb = d.agb;
    rec.gemeente = d.gemeente;
    rec.declaration_id = d.id;
    if (bad_clients.count(l.bsn)) {
      o.not_assessed = true;
      rec.verdict = LineVerdict::rejected;
      rec.codes = {"0233"};
      h.add_line(rec);  // its ReferentieNummer is reserved (TR314)
      continue;
    }
    std::vector<Hit> hits;
    // TR314.
    bool used = dup_in_message.count(i) > 0;
    for (const HistLine* p : h.by_referentie(d.agb, l.referentie))
      if (p->declaration_id != d.id) used = true;
    if (used) hits.push_back({"TR314", "8021"});
    // TR338: the allocation exists and belongs to this provider.
    const Allocation* a = h.allocation(d.gemeente, l.nummer);
    if (a && a->agb != d.agb) a = nullptr;
    if (!a) {
      hits.push_back({"TR338", "9338"});
    } else {
      if (a->bsn != l.bsn) hits.push_back({"TR304", "8187"});
      if (a->deleted) {
        if (!l.credit) hits.push_back({"TR384", "9384"});
      } else if (l.credit) {
        judge_credit(c, l, a, hits);
      } else {
        judge_debit(c, l, *a, hits);
      }
      if (a->deleted && l.credit) judge_credit(c, l, a, hits);
      if (!a->deleted && !l.credit) {
        o.signals = signals_for(*a, h.intervals(a->gemeente, a->nummer), l);
        for (const auto& s : o.signals) {
          if (s.name == "before-start" && opt.local_before_start)
            hits.push_back({"local-before-start", *opt.local_before_start});
          if (s.name == "in-pause" && opt.local_in_pause)
            hits.push_back({"local-in-pause", *opt.local_in_pause});
        }
      }
    }
    if (a == nullptr && l.credit) {
      // A credit without its allocation is still checked against its debit (TR323).
      judge_credit(c, l, nullptr, hits);
    }
    o.hits = std::move(hits);
    o.approved = o.hits.empty();
    rec.verdict = o.approved ? LineVerdict::approved : LineVerdict::rejected;
    rec.codes = o.codes();
    if (o.approved) {
      j.toegekend += l.signed_bedrag();
      if (l.credit && l.vorig)
        for (const HistLine* p : h.by_referentie(d.agb, *l.vorig))
          if (!p->credit && p->verdict == LineVerdict::approved && !p->credited_by)
            j.credited.emplace_back(p->id, l.id);
    }
    h.add_line(rec);
  }
  return j;
}

}  // namespace istd::reconcile
