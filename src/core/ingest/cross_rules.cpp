// Cross-message rules for 301/305/307 (docs/ingest.md).
#include "core/ingest/cross_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace istd::ingest {

using ledger::Ledger;
using ledger::MessageId;
using model::Message;
using model::NodeId;
using model::Text;

void CrossResult::add(std::size_t cls, Finding f) {
  class_codes[cls].push_back(f.retourcode);
  findings.push_back(std::move(f));
}

bool CrossResult::rejected() const {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::error; });
}

namespace {

Finding make(const Message& m, NodeId node, std::string_view rule, std::string_view code,
             std::string text, Severity sev = Severity::error) {
  Finding f;
  f.rule = std::string(rule);
  f.retourcode = std::string(code);
  f.severity = sev;
  f.line = m.line(node);
  f.column = m.column(node);
  if (node != model::kNoNode) f.paths.push_back(m.path(node));
  f.text = std::move(text);
  return f;
}

std::optional<std::int64_t> nummer_of(const Text& t) {
  if (!t.present()) return std::nullopt;
  return model::parse_int(t.value);
}
std::optional<std::string> categorie_of(const model::Product& p) {
  if (!p.present() || !p.categorie.present()) return std::nullopt;
  return p.categorie.value;
}
std::optional<std::string> code_of(const model::Product& p) {
  if (!p.present() || !p.code.present()) return std::nullopt;
  return p.code.value;
}

std::string describe_nummer(const std::optional<std::int64_t>& n) {
  return n ? fmt::format("ToewijzingNummer {}", *n) : std::string("no ToewijzingNummer");
}

template <typename R>
bool same_product(const R& r, const ledger::StartKey& k) {
  return r.categorie == k.categorie && r.code == k.code;
}

/// TR019: the allocation must exist for this gemeente, provider and client, and not be deleted.
/// Returns the reason when it fails.
/// `a` is the current allocation of the key's ToewijzingNummer (Ledger::allocation_state).
std::optional<std::string> tr019(const std::optional<ledger::AllocationVersion>& a,
                                 const ledger::StartKey& k, std::string_view what,
                                 const std::set<std::string>& taakgericht) {
  // Taakgericht (no allocations per client): keyed by Product instead (TR019, --taakgericht).
  if (!k.toewijzing_nummer && taakgericht.count(k.agb)) return std::nullopt;
  if (!k.toewijzing_nummer)
    return fmt::format(
        "The {} has no ToewijzingNummer; work on allocations (inspannings- or outputgericht) "
        "must name the allocation it belongs to. Add the ToewijzingNummer of the 301.",
        what);
  if (!a)
    return fmt::format(
        "Gemeente {} has no allocation with ToewijzingNummer {}. Check the number against the "
        "301 the gemeente sent.",
        k.gemeente, *k.toewijzing_nummer);
  if (a->deleted())
    return fmt::format(
        "Allocation {} of gemeente {} was deleted (RedenWijziging {}); a deleted allocation "
        "counts as never sent, so no {} may refer to it.",
        *k.toewijzing_nummer, k.gemeente, a->reden_wijziging.value_or(""), what);
  if (a->agb != k.agb)
    return fmt::format("Allocation {} of gemeente {} was given to another provider, not to {}.",
                       *k.toewijzing_nummer, k.gemeente, k.agb);
  if (a->bsn != k.bsn)
    return fmt::format(
        "Allocation {} of gemeente {} belongs to another client (Bsn {}), not to Bsn {}.",
        *k.toewijzing_nummer, k.gemeente, model::mask_bsn(a->bsn), model::mask_bsn(k.bsn));
  return std::nullopt;
}

/// Non-rejecting observations for a start/stop on an existing allocation (TR019 notes).
/// Copies the start key (and the informative ToewijzingIngangsdatum) into a ledger record.
template <typename Record>
void fill_start_key(Record& rec, const ledger::StartKey& k, const model::Text& ingangsdatum) {
  rec.agb = k.agb;
  rec.gemeente = k.gemeente;
  rec.bsn = k.bsn;
  rec.toewijzing_nummer = k.toewijzing_nummer;
  rec.categorie = k.categorie;
  rec.code = k.code;
  rec.begindatum = k.begindatum;
  if (ingangsdatum.present()) rec.toewijzing_ingangsdatum = ingangsdatum.value;
}

void tr019_warnings(const std::optional<ledger::AllocationVersion>& a, const Message& m,
                    NodeId node, const ledger::StartKey& k, const Text& toewijzing_ingangsdatum,
                    std::vector<Finding>& out) {
  if (!k.toewijzing_nummer) return;
  if (!a || a->deleted() || a->agb != k.agb || a->bsn != k.bsn) return;
  if (toewijzing_ingangsdatum.present() && toewijzing_ingangsdatum.value != a->ingangsdatum)
    out.push_back(make(m, node, "TR019", "",
                       fmt::format("ToewijzingIngangsdatum {} differs from the allocation's "
                                   "Ingangsdatum {} (not a reason for rejection).",
                                   toewijzing_ingangsdatum.value, a->ingangsdatum),
                       Severity::warning));
  if (a->categorie != k.categorie || a->code != k.code)
    out.push_back(make(m, node, "IV075", "",
                       "The Product differs from the allocation's product (IV075 asks for the "
                       "same product; not a reason for rejection).",
                       Severity::warning));
  if (k.begindatum < a->ingangsdatum || (a->einddatum && k.begindatum > *a->einddatum))
    out.push_back(make(m, node, "TR019", "",
                       fmt::format("Begindatum {} lies outside the allocation period {}..{} "
                                   "(not a reason for rejection; delivery outside the period "
                                   "does not count).",
                                   k.begindatum, a->ingangsdatum, a->einddatum.value_or("open")),
                       Severity::warning));
}

template <typename P>
ledger::StartKey key_of(const Message& m, const P& p) {
  ledger::StartKey k;
  k.agb = m.header.afzender.value;
  k.gemeente = m.header.ontvanger.value;
  k.bsn = m.client.bsn.value;
  k.toewijzing_nummer = nummer_of(p.toewijzing_nummer);
  k.categorie = categorie_of(p.product);
  k.code = code_of(p.product);
  k.begindatum = p.begindatum.value;
  return k;
}

/// Class indices: status 3 first, then status 1, each in document order.
template <typename V>
std::vector<std::size_t> processing_order(const V& classes) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (classes[i].status_aanlevering.value == "3") order.push_back(i);
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (classes[i].status_aanlevering.value == "1") order.push_back(i);
  return order;
}

CrossResult apply_305(Ledger& l, const Message& m, MessageId id,
                      const std::set<std::string>& taakgericht) {
  CrossResult r;
  const auto& sps = m.client.starts;
  r.class_codes.resize(sps.size());
  for (std::size_t i : processing_order(sps)) {
    const auto& sp = sps[i];
    const auto k = key_of(m, sp);
    const std::size_t before = r.findings.size();
    if (sp.status_aanlevering.value == "3") {
      auto live = l.live_start(k);
      if (!live) {
        r.add(i,
             make(m, sp.node, "TR063", "9063",
                  fmt::format("StatusAanlevering 3 deletes a start, but no start with this "
                              "key ({}, Begindatum {}) was delivered before (or it was "
                              "already deleted).",
                              describe_nummer(k.toewijzing_nummer), k.begindatum)));
      } else {
        for (const auto& s : l.live_stops(k.agb, k.gemeente, k.bsn, k.toewijzing_nummer)) {
          if (s.begindatum != k.begindatum || !same_product(s, k)) continue;
          r.add(i,
               make(m, sp.node, "TR071", "9071",
                    fmt::format("This start has a stop (RedenBeeindiging {}, Einddatum {}); "
                                "delete the stop with a 307 (status 3) before deleting the "
                                "start.",
                                s.reden_beeindiging, s.einddatum)));
          break;
        }
        if (r.findings.size() == before) l.delete_start(live->id, id);
      }
      continue;
    }
    // StatusAanlevering 1. The allocation (TR019) and its live starts and stops (TR074,
    // TR326), read once.
    const auto state = l.allocation_state(k);
    const auto& allocation = state.allocation;
    if (auto why = tr019(allocation, k, "StartProduct", taakgericht))
      r.add(i, make(m, sp.node, "TR019", "9019", *why));
    const auto& starts = state.starts;
    const auto& stops = state.stops;
    if (std::any_of(starts.begin(), starts.end(), [&](const auto& s) {
          return s.begindatum == k.begindatum && same_product(s, k);
        }))
      r.add(i,
           make(m, sp.node, "TR074", "9074",
                fmt::format("A start with this key ({}, Begindatum {}) was already "
                            "delivered; a new delivery needs a new key (delete the old "
                            "one with status 3 to correct it).",
                            describe_nummer(k.toewijzing_nummer), k.begindatum)));
    for (const auto& s : starts) {
      if (!same_product(s, k)) continue;
      const bool stopped = std::any_of(stops.begin(), stops.end(), [&](const auto& st) {
        return st.begindatum == s.begindatum && same_product(st, k);
      });
      if (stopped) continue;
      r.add(i,
           make(m, sp.node, "TR326", "9326",
                fmt::format("The start of {} (Begindatum {}) is still current (no stop "
                            "yet); send a stop (307) before a new start.",
                            describe_nummer(k.toewijzing_nummer), s.begindatum)));
      break;
    }
    // TR326 note: a restart on or before the previous stop's Einddatum overlaps that delivery.
    const ledger::StopRecord* previous = nullptr;
    for (const auto& st : stops)
      if (same_product(st, k) && (!previous || st.einddatum > previous->einddatum)) previous = &st;
    if (previous && k.begindatum <= previous->einddatum)
      r.findings.push_back(
          make(m, sp.node, "TR326", "",
               fmt::format("Begindatum {} is not after Einddatum {} of the "
                           "previous stop of {}: the delivery periods overlap "
                           "(not a reason for rejection).",
                           k.begindatum, previous->einddatum, describe_nummer(k.toewijzing_nummer)),
               Severity::warning));
    tr019_warnings(allocation, m, sp.node, k, sp.toewijzing_ingangsdatum, r.findings);
    if (r.class_codes[i].empty()) {
      ledger::StartRecord rec;
      fill_start_key(rec, k, sp.toewijzing_ingangsdatum);
      rec.inserted_by = id;
      l.add_start(rec);
    }
  }
  return r;
}

CrossResult apply_307(Ledger& l, const Message& m, MessageId id,
                      const std::set<std::string>& taakgericht) {
  CrossResult r;
  const auto& stps = m.client.stops;
  r.class_codes.resize(stps.size());
  for (std::size_t i : processing_order(stps)) {
    const auto& st = stps[i];
    const auto k = key_of(m, st);
    const std::string& reden = st.reden_beeindiging.value;
    const std::string& eind = st.einddatum.value;
    if (st.status_aanlevering.value == "3") {
      auto live = l.live_stop(k, reden, eind);
      if (!live)
        r.add(i,
             make(m, st.node, "TR063", "9063",
                  fmt::format("StatusAanlevering 3 deletes a stop, but no stop with this key "
                              "({}, Begindatum {}, RedenBeeindiging {}, Einddatum {}) was "
                              "delivered before (or it was already deleted).",
                              describe_nummer(k.toewijzing_nummer), k.begindatum, reden, eind)));
      else
        l.delete_stop(live->id, id);
      continue;
    }
    // The allocation (TR019) and its live starts (TR069, TR382) and stops (TR074, TR413),
    // read once.
    auto state = l.allocation_state(k);
    const auto& allocation = state.allocation;
    if (auto why = tr019(allocation, k, "StopProduct", taakgericht))
      r.add(i, make(m, st.node, "TR019", "9019", *why));
    // TR069 + TR382: a live start with the same start-key, and it is the last live start.
    {
      auto& starts = state.starts;
      std::erase_if(starts, [&](const auto& s) { return !same_product(s, k); });
      const bool has = std::any_of(starts.begin(), starts.end(),
                                   [&](const auto& s) { return s.begindatum == k.begindatum; });
      if (!has)
        r.add(i,
             make(m, st.node, "TR069", "9069",
                  fmt::format("No current start with the same key ({}, Begindatum {}); a "
                              "stop must copy ToewijzingNummer, Product and Begindatum of "
                              "the start it ends.",
                              describe_nummer(k.toewijzing_nummer), k.begindatum)));
      else if (starts.back().begindatum != k.begindatum)
        r.add(i,
             make(m, st.node, "TR069", "9069",
                  fmt::format("The start with Begindatum {} is not the last start of {} "
                              "(the last one began {}); a stop refers to the last start.",
                              k.begindatum, describe_nummer(k.toewijzing_nummer),
                              starts.back().begindatum)));
    }
    auto& existing = state.stops;
    if (std::any_of(existing.begin(), existing.end(), [&](const auto& s) {
          return s.begindatum == k.begindatum && same_product(s, k) &&
                 s.reden_beeindiging == reden && s.einddatum == eind;
        }))
      r.add(i,
           make(m, st.node, "TR074", "9074",
                fmt::format("A stop with this key (Begindatum {}, RedenBeeindiging {}, "
                            "Einddatum {}) was already delivered.",
                            k.begindatum, reden, eind)));
    std::erase_if(existing, [&](const auto& s) {
      return s.begindatum != k.begindatum || (!k.toewijzing_nummer && !same_product(s, k));
    });
    if (reden == "20") {
      for (const auto& s : existing)
        if (s.pause()) {
          r.add(i,
               make(m, st.node, "TR413", "9413",
                    fmt::format("The start of {} (Begindatum {}) was already paused "
                                "(Einddatum {}); a second pause needs a restart (305) "
                                "first.",
                                describe_nummer(k.toewijzing_nummer), k.begindatum, s.einddatum)));
          break;
        }
    }
    for (const auto& s : existing)
      if (s.einddatum > eind) {
        r.add(i,
             make(m, st.node, "TR414", "9414",
                  fmt::format("An earlier stop of this start ends on {}; a later stop may "
                              "not end earlier ({}).",
                              s.einddatum, eind)));
        break;
      }
    for (const auto& s : existing)
      if (!s.pause()) {
        r.add(i,
             make(m, st.node, "TR415", "9415",
                  fmt::format("The start of {} (Begindatum {}) was already stopped "
                              "definitively (RedenBeeindiging {}, Einddatum {}); nothing "
                              "may follow a definitive stop.",
                              describe_nummer(k.toewijzing_nummer), k.begindatum,
                              s.reden_beeindiging, s.einddatum)));
        break;
      }
    tr019_warnings(allocation, m, st.node, k, st.toewijzing_ingangsdatum, r.findings);
    if (r.class_codes[i].empty()) {
      ledger::StopRecord rec;
      fill_start_key(rec, k, st.toewijzing_ingangsdatum);
      rec.reden_beeindiging = reden;
      rec.einddatum = eind;
      rec.inserted_by = id;
      l.add_stop(rec);
    }
  }
  return r;
}

std::optional<std::string> opt_text(const Text& t) {
  if (!t.present()) return std::nullopt;
  return t.value;
}
std::optional<std::int64_t> opt_int(const Text& t) {
  if (!t.present()) return std::nullopt;
  return model::parse_int(t.value);
}

bool same_content(const ledger::AllocationVersion& a, const ledger::AllocationVersion& b) {
  return a.bsn == b.bsn && a.agb == b.agb && a.categorie == b.categorie && a.code == b.code &&
         a.ingangsdatum == b.ingangsdatum && a.einddatum == b.einddatum &&
         a.reden_wijziging == b.reden_wijziging && a.volume == b.volume && a.eenheid == b.eenheid &&
         a.frequentie == b.frequentie && a.budget == b.budget &&
         a.referentie_aanbieder == b.referentie_aanbieder;
}

}  // namespace

Finding cross_finding(const Message& m, NodeId node, std::string_view rule, std::string_view code,
                      std::string text, Severity sev) {
  return make(m, node, rule, code, std::move(text), sev);
}

std::vector<Finding> check_header(const std::vector<ledger::MessageRecord>& same_key,
                                  const Message& m, model::Date today) {
  std::vector<Finding> out;
  const auto& h = m.header;
  if (!same_key.empty())
    out.push_back(make(m, h.bericht_identificatie, "TR056", "9056",
                       fmt::format("Afzender {} already sent a message {} with Identificatie "
                                   "'{}' (with other content); every message needs a new "
                                   "Identificatie.",
                                   h.afzender.value, h.berichtcode.value, h.identificatie.value)));
  if (auto d = model::parse_date(h.dagtekening.value); d && *d > today)
    out.push_back(make(m, h.dagtekening.node, "TR135", "8848",
                       fmt::format("Dagtekening {} lies after the date of receipt {}.",
                                   h.dagtekening.value, today.to_string())));
  return out;
}

CrossResult apply_startstop(Ledger& l, const Message& m, MessageId id,
                            const std::set<std::string>& taakgericht) {
  if (model::number(m.type) == 305) return apply_305(l, m, id, taakgericht);
  return apply_307(l, m, id, taakgericht);
}

namespace {

/// The key of the class apply_305/apply_307 judge first, when it is a new one (status 1); a
/// deletion (status 3) comes first when there is one, and changes the state before any read.
template <typename V>
std::optional<ledger::StartKey> first_key(const Message& m, const V& classes) {
  const auto order = processing_order(classes);
  if (order.empty() || classes[order.front()].status_aanlevering.value != "1") return std::nullopt;
  return key_of(m, classes[order.front()]);
}

}  // namespace

void expect_class_reads(Ledger& l, const Message& m) {
  switch (model::number(m.type)) {
    case 305:
      if (const auto k = first_key(m, m.client.starts)) l.expect_allocation_state(*k);
      break;
    case 307:
      if (const auto k = first_key(m, m.client.stops)) l.expect_allocation_state(*k);
      break;
    case 301: {  // apply_allocations reads everything before its first write
      const std::string& gemeente = m.header.afzender.value;
      if (!m.client.toegewezen.empty()) {
        const auto& first = m.client.toegewezen.front();
        const auto nummer = model::parse_int(first.toewijzing_nummer.value).value_or(-1);
        l.expect_allocation_history(gemeente, nummer);
        // add_allocation_version's look for the same version, before the first insert.
        l.expect_allocation_version_at(gemeente, nummer, first.toewijzingsdatum.value,
                                       first.toewijzingstijd.value);
      }
      l.expect_allocations_of_client(gemeente, m.header.ontvanger.value, m.client.bsn.value);
      break;
    }
    default: break;
  }
}

CrossResult apply_allocations(Ledger& l, const Message& m, MessageId id) {
  CrossResult r;
  const auto& tps = m.client.toegewezen;
  r.class_codes.resize(tps.size());
  const std::string& gemeente = m.header.afzender.value;
  const std::string& agb = m.header.ontvanger.value;
  const std::string& bsn = m.client.bsn.value;
  std::vector<ledger::AllocationVersion> versions;
  for (std::size_t i = 0; i < tps.size(); ++i) {
    const auto& tp = tps[i];
    ledger::AllocationVersion v;
    v.message_id = id;
    v.gemeente = gemeente;
    v.toewijzing_nummer = model::parse_int(tp.toewijzing_nummer.value).value_or(-1);
    v.toewijzingsdatum = tp.toewijzingsdatum.value;
    v.toewijzingstijd = tp.toewijzingstijd.value;
    v.bsn = bsn;
    v.agb = agb;
    v.categorie = categorie_of(tp.product);
    v.code = code_of(tp.product);
    v.ingangsdatum = tp.ingangsdatum.value;
    v.einddatum = opt_text(tp.einddatum);
    v.reden_wijziging = opt_text(tp.reden_wijziging);
    if (tp.omvang.present()) {
      v.volume = opt_int(tp.omvang.volume);
      v.eenheid = opt_text(tp.omvang.eenheid);
      v.frequentie = opt_text(tp.omvang.frequentie);
    }
    v.budget = opt_int(tp.budget);
    v.referentie_aanbieder = opt_text(tp.referentie_aanbieder);
    // TR332: a number once used belongs to one client and one product.
    for (const auto& old : l.allocation_history(gemeente, v.toewijzing_nummer)) {
      if (old.bsn != bsn) {
        r.add(i,
             make(m, tp.node, "TR332", "9332",
                  fmt::format("ToewijzingNummer {} of gemeente {} was used before for "
                              "another client (Bsn {}); every allocation needs its own "
                              "number.",
                              v.toewijzing_nummer, gemeente, model::mask_bsn(old.bsn))));
        break;
      }
      if (old.categorie != v.categorie || old.code != v.code) {
        r.add(i,
             make(m, tp.node, "TR332", "9332",
                  fmt::format("ToewijzingNummer {} of gemeente {} was used before for "
                              "another product ({}/{}); a different product needs a new "
                              "allocation number.",
                              v.toewijzing_nummer, gemeente, old.categorie.value_or("-"),
                              old.code.value_or("-"))));
        break;
      }
    }
    versions.push_back(std::move(v));
  }
  if (r.rejected()) return r;

  // OP087: every allocation still valid on the Dagtekening must be listed (warning only).
  std::set<std::int64_t> listed;
  for (const auto& v : versions) listed.insert(v.toewijzing_nummer);
  const std::string& dag = m.header.dagtekening.value;
  for (const auto& cur : l.allocations_of_client(gemeente, agb, bsn)) {
    if (listed.count(cur.toewijzing_nummer) || cur.deleted()) continue;
    if (cur.einddatum && *cur.einddatum < dag) continue;
    r.findings.push_back(
        make(m, m.client.toegewezen_producten, "OP087", "",
             fmt::format("Allocation {} (still valid on {}) is missing from this 301; a 301 lists "
                         "every current allocation of the client at the provider. Its last known "
                         "state is kept.",
                         cur.toewijzing_nummer, dag),
             Severity::warning));
  }
  for (std::size_t i = 0; i < versions.size(); ++i) {
    bool inserted = false;
    l.add_allocation_version(versions[i], &inserted);
    if (inserted) continue;
    auto old = l.allocation_version_at(gemeente, versions[i].toewijzing_nummer,
                                       versions[i].toewijzingsdatum, versions[i].toewijzingstijd);
    if (old && !same_content(*old, versions[i]))
      r.findings.push_back(
          make(m, tps[i].node, "IV013", "",
               fmt::format("Allocation {} has the same Toewijzingsdatum/-tijd ({} {}) as a stored "
                           "version but other content; the first one is kept.",
                           versions[i].toewijzing_nummer, versions[i].toewijzingsdatum,
                           versions[i].toewijzingstijd),
               Severity::warning));
  }
  return r;
}

}  // namespace istd::ingest
