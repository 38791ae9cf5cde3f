#include "core/ingest/judge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/ingest/cross_rules.hpp"
#include "core/ingest/ijw_warnings.hpp"
#include "core/ingest/record.hpp"
#include "core/ingest/request_rules.hpp"

namespace istd::ingest {

using ledger::Ledger;
using ledger::Verdict;
using model::MessageType;

namespace {

/// The retours of 301/305/307/315/317/319 (sent back to the heenbericht's Afzender).
bool is_answer_retour(MessageType t) {
  return model::number_in(t, {302, 306, 308, 316, 318, 320});
}
bool is_retour_type(MessageType t) { return is_answer_retour(t) || model::number(t) == 325; }
bool is_heen_type(MessageType t) {
  return model::number_in(t, {301, 305, 307, 315, 317, 319, 323});
}
/// Messages the side running istd sends itself: a gemeente its 301 and 319, a provider its 305,
/// 307, 315 and 317. They are answered by the other party's retour, not by istd.
bool is_own_message(Side side, MessageType t) {
  if (side == Side::gemeente) return model::number_in(t, {301, 319});
  return model::number_in(t, {305, 307, 315, 317});
}

std::string basename_of(const std::string& source) {
  if (source.empty() || source == "-") return "stdin.xml";
  std::string b = std::filesystem::path(source).filename().string();
  return b.empty() ? std::string("input.xml") : b;
}

/// Party a message is delivered to: retours go to their header Afzender.
std::string party_of(const model::Message& m) {
  const std::string& p =
      is_answer_retour(m.type) ? m.header.afzender.value : m.header.ontvanger.value;
  // Header values are XSD-checked digits; guard the path anyway.
  for (char c : p)
    if (c == '/' || c == '\0' || c == '.') return "unknown";
  return p.empty() ? std::string("unknown") : p;
}

bool has_error(const std::vector<Finding>& fs) {
  return std::any_of(fs.begin(), fs.end(),
                     [](const Finding& f) { return f.severity == Severity::error; });
}

std::vector<std::string> header_codes(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs)
    if (f.severity == Severity::error && !f.retourcode.empty()) out.push_back(f.retourcode);
  return out;
}

/// A 302 rejects when its header or any class carries a retourcode other than 0200.
bool rejects(const model::Message& m) {
  auto any = [](const model::RetourCodes& rc) {
    return std::any_of(rc.codes.begin(), rc.codes.end(),
                       [](const model::Text& c) { return c.value != "0200"; });
  };
  if (any(m.header.retourcodes) || any(m.client.retourcodes)) return true;
  for (const auto& x : m.client.toegewezen)
    if (any(x.retourcodes)) return true;
  for (const auto& x : m.client.contacten)
    if (any(x.retourcodes)) return true;
  for (const auto& x : m.client.relatie)
    if (any(x.retourcodes)) return true;
  return false;
}

Decision quarantine(const std::string& source, std::string why, int level, Verdict verdict) {
  Decision d;
  d.header_fields = verdict == Verdict::rejected;
  d.action = Decision::Action::quarantine;
  d.verdict = verdict;
  d.level = level;
  d.route = quarantine_route(source);
  d.why = std::move(why);
  return d;
}

Decision recorded(std::string route, Verdict verdict, int level) {
  Decision d;
  d.action = Decision::Action::record;
  d.verdict = verdict;
  d.level = level;
  d.route = std::move(route);
  return d;
}

/// The class rules of `m`, applied under a savepoint with the message's row. Clean: the
/// savepoint is handed over in the decision. Failed: rolled back; the class codes are returned.
CrossResult apply_class_rules(Ledger& ledger, const model::Message& m, Prepared& input,
                              const std::string& source, const std::string& route,
                              const Options& opt, ValidationResult& result, Decision& accepted) {
  auto sp = std::make_unique<Ledger::Savepoint>(ledger);
  auto n = input_row(m, input, source);
  n.verdict = Verdict::accepted;
  n.route_path = route;
  const ledger::MessageId id = ledger.add_message_unique_route(n);
  CrossResult cross;
  switch (model::number(m.type)) {
    case 301: cross = apply_allocations(ledger, m, id); break;
    case 305:
    case 307: cross = apply_startstop(ledger, m, id, opt.taakgericht); break;
    default: cross = apply_requests(ledger, m, id); break;
  }
  if (!cross.rejected()) {
    if (opt.gezagsdrager_warning)
      for (auto& f : gezagsdrager_warnings(ledger, m)) cross.findings.push_back(f);
    if (opt.woonplaatsbeginsel_warning)
      for (auto& f : woonplaatsbeginsel_warnings(ledger, m, id)) cross.findings.push_back(f);
  }
  for (auto& f : cross.findings) result.findings.push_back(f);
  if (cross.rejected()) {
    sp->rollback();
    return cross;
  }
  accepted = recorded(n.route_path, Verdict::accepted, 0);
  accepted.applied_id = id;
  accepted.applied = std::move(sp);
  accepted.applied_bytes = std::move(n.bytes);
  return cross;
}

}  // namespace

std::string quarantine_route(const std::string& source) {
  return "quarantine/" + basename_of(source);
}

namespace {

/// What the rules ask of earlier rows for a message, read at once (Ledger::earlier_inputs): an
/// exact re-delivery, inputs with the same TR056 key, and whether the routes of its row and of
/// its retour (numbered right after it, when the ledger numbers rows itself: `id` is the row's)
/// are free.
struct Lookup {
  std::string route;  // where the message goes when it is recorded
  std::optional<Ledger::InputKey> key;
  std::vector<std::string> routes;
  bool retour_expected = false;
  bool class_rules = false;  // the class rules will judge it (readable, level 2 passed, a heen)
};

Lookup lookup_of(const ValidationResult& result, const Options& opt,
                 std::optional<ledger::MessageId> id) {
  const model::Message* m = result.message ? &*result.message : nullptr;
  const bool readable = m && result.xsd_valid;
  Lookup lk;
  lk.route = readable ? fmt::format("{}/{}/{}", party_of(*m), model::to_string(m->type),
                                    basename_of(result.source))
                      : quarantine_route(result.source);
  lk.routes.push_back(lk.route);
  if (!readable) return lk;
  lk.key = Ledger::InputKey{m->header.berichtcode.value, m->header.afzender.value,
                            m->header.identificatie.value};
  lk.retour_expected = has_retour(m->type) && !is_own_message(opt.side, m->type);
  if (lk.retour_expected && id) lk.routes.push_back(retour_route(*m, *id + 1));
  lk.class_rules = !has_error(result.findings) && is_heen_type(m->type);
  return lk;
}

/// Sends what the rules will read first for `m` (its class rules' first reads, in its legal
/// domain), so that it comes back with the next read that waits.
void send_class_reads(Ledger& ledger, const model::Message& m) {
  struct Restore {
    Ledger& l;
    model::Standard s;
    ~Restore() { l.set_standard(s); }
  } restore{ledger, ledger.standard()};
  ledger.set_standard(model::standard_of(m.type));
  expect_class_reads(ledger, m);
}

/// Sends the first reads of the inputs after this one, while this one is judged: `id` is the id
/// the first one's row will have if this one takes the ids it is expected to, and each of them
/// is expected to take its row's id, and its retour's when it expects one (a wrong guess only
/// costs the read: its routes then differ, and the read is made again). A read already on its
/// way (sent ahead while an earlier message was judged) is not sent again.
void send_next_reads(Ledger& ledger, std::span<const Upcoming> next, const Options& opt,
                     ledger::MessageId id) {
  for (const Upcoming& u : next.first(std::min<std::size_t>(next.size(),
                                                             Ledger::kMessagesAhead))) {
    if (!u.result) return;
    const Lookup lk = lookup_of(*u.result, opt, id);
    if (lk.class_rules) send_class_reads(ledger, *u.result->message);
    ledger.expect_earlier_inputs(u.bytes, u.hash, lk.key, lk.routes);
    id += lk.retour_expected ? 2 : 1;
  }
}

}  // namespace

Decision judge(Ledger& ledger, Prepared& input, ValidationResult& result, const Options& opt,
               std::span<const Upcoming> next) {
  const std::string& source = result.source;
  const model::Message* m = result.message ? &*result.message : nullptr;
  const bool readable = m && result.xsd_valid;
  const auto id = ledger.next_message_id();
  const Lookup lookup = lookup_of(result, opt, id);
  const std::string& route = lookup.route;
  // What the class rules read first, sent now: it comes back with the answer of earlier_inputs.
  if (lookup.class_rules) send_class_reads(ledger, *m);
  auto earlier = ledger.earlier_inputs(input.bytes, input.hash, lookup.key, lookup.routes);
  // The next inputs' first reads go now: the server reads them while this one is judged. This
  // one takes no id (a re-delivery), its row's, or its row's and its retour's.
  if (!next.empty() && id)
    send_next_reads(ledger, next, opt,
                    *id + (!earlier.same_bytes.empty() ? 0 : lookup.retour_expected ? 2 : 1));

  // Exact re-delivery: report the earlier verdict, change nothing.
  if (!earlier.same_bytes.empty()) {
    Decision d;
    d.action = Decision::Action::duplicate;
    d.earlier = std::move(earlier.same_bytes.front());
    return d;
  }

  // Level 1.
  if (!readable)
    return quarantine(source,
                      "not a valid iWmo 3.2 or iJw 3.2 message (level 1: XML/XSD); no retour", 1,
                      Verdict::quarantined);
  // Every cross-message rule looks inside the message's legal domain (Wmo or Jeugdwet).
  ledger.set_standard(model::standard_of(m->type));
  if (!is_heen_type(m->type) && !is_retour_type(m->type))
    return quarantine(
        source,
        fmt::format("{} messages are not processed by istd ingest", model::to_string(m->type)), 1,
        Verdict::quarantined);
  const bool level2 = has_error(result.findings);

  // A received retour is recorded and routed.
  if (is_retour_type(m->type)) {
    Decision d = recorded(route, Verdict::recorded, level2 ? 2 : 0);
    d.withdraw_301 = model::number(m->type) == 302 && opt.side == Side::gemeente &&
                     opt.rejected_301 == Rejected301::withdraw && rejects(*m);
    return d;
  }

  // Header rules come after level 2 in the rule order but are evaluated for the record anyway.
  std::vector<Finding> header;
  if (!level2) header = check_header(earlier.same_key, *m, opt.today);
  const bool header_failed = has_error(header);
  for (auto& f : header) result.findings.push_back(f);

  // A declaration is taken in (or not: its intake codes) and answered by `istd reconcile`.
  if (model::number(m->type) == 323) {
    Decision d = recorded(route, Verdict::accepted, 0);
    d.intake.emplace();
    if (level2) {
      *d.intake = {"0001"};
      d.level = 2;
    } else if (header_failed) {
      *d.intake = header_codes(header);
      d.level = 3;
    }
    if (!d.intake->empty()) d.verdict = Verdict::rejected;
    return d;
  }

  // An own message is checked before it is sent: refused, it stays home; accepted, the other
  // party writes its retour.
  const bool own_message = is_own_message(opt.side, m->type);
  const std::string own_type = std::to_string(model::number(m->type));

  if (level2 || header_failed) {
    const int level = level2 ? 2 : 3;
    if (own_message)
      return quarantine(source,
                        fmt::format("own {} refused before sending (it would be rejected by the "
                                    "provider)",
                                    own_type),
                        level, Verdict::rejected);
    Decision d = recorded(route, Verdict::rejected, level);
    d.retour.emplace();
    d.retour->xslt = level2;
    d.retour->header_codes = level2 ? std::vector<std::string>{"0001"} : header_codes(header);
    return d;
  }

  // Class rules, applied under a savepoint.
  Decision accepted;
  const CrossResult cross =
      apply_class_rules(ledger, *m, input, source, route, opt, result, accepted);
  if (!cross.rejected()) {
    if (!own_message) accepted.retour.emplace();
    return accepted;
  }
  // Rejected at level 3: nothing of it is stored but its record (and its retour).
  if (own_message)
    return quarantine(
        source,
        fmt::format("own {} refused before sending (cross-message rules; see findings)", own_type),
        3, Verdict::rejected);
  Decision d = recorded(route, Verdict::rejected, 3);
  d.retour.emplace();
  d.retour->header_codes = {"0200"};
  d.retour->with_client = true;
  if (model::number(m->type) == 319) {
    // The 320 copies the Antwoord, the one class under the root: its codes are the root's.
    d.retour->client_codes =
        cross.class_codes.empty() ? std::vector<std::string>{} : cross.class_codes.front();
  } else {
    d.retour->class_codes = cross.class_codes;
  }
  return d;
}

}  // namespace istd::ingest
