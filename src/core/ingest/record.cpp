// Stage 4 of the ingest pipeline (record.hpp): the rows of a judged message and its retour,
// built here (the second half of this file) and numbered after the input's row.
#include "core/ingest/record.hpp"

#include <fmt/format.h>

#include <map>
#include <string_view>
#include <utility>

#include "core/errors.hpp"
#include "core/report/report.hpp"
#include "core/rules/rules.hpp"
#include "core/util/read_file.hpp"
#include "core/util/xml_writer.hpp"
#include "core/xml/schema_bundle.hpp"

namespace istd::ingest {

using ledger::Ledger;
using ledger::MessageId;
using ledger::NewMessage;
using ledger::Verdict;
using model::MessageType;

namespace {

// The retour's bytes, at the end of this file.
/// The retour type of a heenbericht type (WMO306 for WMO305, ...); unknown when none.
MessageType retour_type(MessageType heen);
/// The retour of an XSD-valid heenbericht; `original` are its bytes (the Client is copied from
/// them). Never throws for valid input.
std::string build_retour(const model::Message& heen, std::string_view original,
                         const RetourContent& content);

std::string findings_json(const ValidationResult& r) {
  if (r.findings.empty()) return "[]";
  return report::to_json(r)["findings"].dump(-1, ' ', false,
                                             nlohmann::ordered_json::error_handler_t::replace);
}

std::pair<std::string, std::string> retour_versions(const SchemaBundle* schemas, MessageType rt) {
  std::pair<std::string, std::string> v{"1.0.0", "1.0.0"};
  if (!schemas) return v;
  if (const auto* f = schemas->message_schema(rt)) {
    if (!f->basisschema_xsd_versie.empty()) v.first = f->basisschema_xsd_versie;
    if (!f->bericht_xsd_versie.empty()) v.second = f->bericht_xsd_versie;
  }
  return v;
}

struct Writer {
  Ledger& ledger;
  Prepared& input;
  const Options& opt;
  const SchemaBundle* schemas;
  Recorded rec;

  Outcome& o() { return rec.outcome; }
  const model::Message& message() { return *o().result.message; }

  void stage(MessageId id, const std::string& route, std::string bytes,
             std::optional<std::string> reason = std::nullopt) {
    if (opt.out_dir.empty()) return;  // nothing to write; a later run with --out writes it
    rec.files.push_back({id, route, std::move(bytes), std::move(reason)});
  }

  /// Reports an exact re-delivery of input `d`: its verdict, route and retour.
  void duplicate(const ledger::MessageRecord& d) {
    o().duplicate = true;
    o().message_id = d.id;
    o().verdict = d.verdict;
    o().accepted = d.verdict == Verdict::accepted;
    // An own message refused before sending is recorded as rejected but lies in quarantine.
    o().quarantined = d.verdict == Verdict::quarantined || d.route_path.starts_with("quarantine/");
    o().route = d.route_path;
    if (auto rep = ledger.reply_of(d.id)) {
      o().retour = rep->route_path;
      if (opt.keep_retour) o().retour_xml = ledger.message(rep->id).bytes;
    }
  }

  void quarantine(const Decision& d) {
    const ValidationResult& r = o().result;
    NewMessage n;
    if (d.header_fields) {
      n = input_row(message(), input, r.source);
    } else {
      n.type = r.type == MessageType::unknown ? std::string() : std::string(model::to_string(r.type));
      n.identificatie = r.identificatie;
      n.source = r.source;
      n.bytes = std::string(input.bytes);
      n.content_hash = input.hash;
      n.packed = std::exchange(input.packed, std::nullopt);
    }
    n.verdict = d.verdict;
    n.level = d.level;
    n.findings_json = findings_json(r);
    n.route_path = d.route;
    n.reason = fmt::format("{}: {}\n", r.source, d.why) + report::to_text(r);
    o().message_id = ledger.add_message_unique_route(n);
    o().verdict = d.verdict;
    o().quarantined = true;
    o().route = n.route_path;
    stage(o().message_id, n.route_path, std::move(n.bytes), n.reason);
  }

  /// The input's row as judged (or, when the class rules stored it already, its findings).
  void input_record(Decision& d) {
    o().verdict = d.verdict;
    o().accepted = d.verdict == Verdict::accepted ||
                   (d.verdict == Verdict::recorded && d.level == 0);
    if (d.applied) {
      // The row says "accepted, no findings" since the class rules ran; only warnings change it.
      if (!o().result.findings.empty())
        ledger.set_message_verdict(d.applied_id, Verdict::accepted, 0, findings_json(o().result));
      d.applied->release();
      o().message_id = d.applied_id;
      o().route = d.route;
      stage(d.applied_id, d.route, std::move(d.applied_bytes));
      return;
    }
    auto n = input_row(message(), input, o().result.source);
    n.verdict = d.verdict;
    n.level = d.level;
    n.findings_json = findings_json(o().result);
    n.route_path = d.route;
    o().message_id = ledger.add_message_unique_route(n);
    o().route = n.route_path;
    stage(o().message_id, n.route_path, std::move(n.bytes));
  }

  /// The retour of the input's row, numbered after it (IdentificatieRetour = its ledger id).
  void retour(RetourContent content) {
    const model::Message& m = message();
    const MessageId heen_id = o().message_id;
    const MessageType rt = retour_type(m.type);
    const MessageId predicted = heen_id + 1;
    const std::string rname(model::to_string(rt));
    NewMessage n;
    n.role = ledger::Role::output;
    n.type = rname;
    n.berichtcode = std::string(model::bericht_code(rt));
    n.afzender = m.header.afzender.value;
    n.ontvanger = m.header.ontvanger.value;
    n.identificatie = ledger::output_identificatie(predicted);
    n.dagtekening = opt.today.to_string();
    auto [xb, xm] = retour_versions(schemas, rt);
    n.xsd_basis = xb;
    n.xsd_bericht = xm;
    n.verdict = Verdict::recorded;
    n.reply_to = heen_id;
    n.route_path = retour_route(m, predicted);
    content.identificatie_retour = n.identificatie;
    content.dagtekening_retour = n.dagtekening;
    content.xsd_basis = xb;
    content.xsd_bericht = xm;
    n.bytes = build_retour(m, input.bytes, content);
    const MessageId id = ledger.add_message_unique_route(n);
    if (id != predicted)
      throw RuntimeError(fmt::format("ledger: retour id {} is not the expected {}", id, predicted));
    o().retour = n.route_path;
    if (opt.keep_retour) o().retour_xml = n.bytes;
    stage(id, n.route_path, std::move(n.bytes));
  }

  /// A 323's declaration and, when taken in, its prestaties (the lines reconcile judges).
  void declaration(const std::vector<std::string>& intake) {
    const model::Message& m = message();
    const auto& d = m.declaratie;
    ledger::DeclarationRecord dr;
    dr.message_id = o().message_id;
    dr.agb = m.header.afzender.value;
    dr.gemeente = m.header.ontvanger.value;
    dr.declaratie_nummer = d.declaratie_nummer.value;
    dr.periode_begin = d.declaratie_periode.begindatum.value;
    dr.periode_eind = d.declaratie_periode.einddatum.value;
    dr.declaratie_dagtekening = d.declaratie_dagtekening.value;
    dr.totaal_bedrag = model::parse_int(d.totaal_ingediend.bedrag.value).value_or(0);
    dr.totaal_dc = d.totaal_ingediend.debet_credit.value;
    dr.identificatie = m.header.identificatie.value;
    dr.dagtekening = m.header.dagtekening.value;
    dr.xsd_basis = m.header.basisschema_xsd_versie.value;
    dr.xsd_bericht = m.header.bericht_xsd_versie.value;
    dr.intake_codes = intake;
    const auto decl_id = ledger.add_declaration(dr);
    if (!intake.empty()) return;  // treated as not sent: no lines
    int pos = 0;
    for (const auto& c : d.clienten) {
      for (const auto& p : c.prestaties) {
        ledger::PrestatieRecord pr;
        pr.declaration_id = decl_id;
        pr.position = pos++;
        pr.agb = dr.agb;
        pr.gemeente = dr.gemeente;
        pr.bsn = c.bsn.value;
        pr.referentie_nummer = p.referentie_nummer.value;
        if (p.vorig_referentie_nummer.present())
          pr.vorig_referentie_nummer = p.vorig_referentie_nummer.value;
        pr.toewijzing_nummer = model::parse_int(p.toewijzing_nummer.value).value_or(-1);
        pr.product_categorie = p.product_categorie.value;
        pr.product_code = p.product_code.value;
        pr.periode_begin = p.product_periode.begindatum.value;
        pr.periode_eind = p.product_periode.einddatum.value;
        pr.geleverd_volume = model::parse_int(p.geleverd_volume.value).value_or(0);
        pr.eenheid = p.eenheid.value;
        if (p.product_tarief.present())
          pr.product_tarief = model::parse_int(p.product_tarief.value);
        pr.bedrag = model::parse_int(p.ingediend_bedrag.bedrag.value).value_or(0);
        pr.debet_credit = p.ingediend_bedrag.debet_credit.value;
        ledger.add_prestatie(pr);
      }
    }
  }

  /// The 301 a rejecting 302 answers (the 302 copies its header: Afzender = the gemeente,
  /// Identificatie, Dagtekening): its allocation versions are deleted. Warns what was done.
  void withdraw_rejected_301() {
    const model::Message& m = message();
    const auto& h = m.header;
    Finding f;
    f.rule = "REJECTED-301";
    f.severity = Severity::warning;
    f.line = m.line(h.bericht_identificatie);
    f.column = m.column(h.bericht_identificatie);
    if (h.bericht_identificatie != model::kNoNode)
      f.paths.push_back(m.path(h.bericht_identificatie));
    std::optional<ledger::MessageRecord> heen;
    const auto code = model::bericht_code(model::type_of(model::standard_of(m.type), 301));
    for (auto& r : ledger.inputs_by_key(code, h.afzender.value, h.identificatie.value))
      if (r.dagtekening == h.dagtekening.value && r.verdict == Verdict::accepted) heen = r;
    if (!heen) {
      f.text = fmt::format(
          "This 302 rejects 301 '{}' of {} (Dagtekening {}), but no such accepted 301 is in "
          "the ledger; nothing was taken out of force.",
          h.identificatie.value, h.afzender.value, h.dagtekening.value);
    } else {
      const auto numbers = ledger.withdraw_allocations_of(heen->id);
      std::string list;
      for (auto nr : numbers) list += (list.empty() ? "" : ", ") + std::to_string(nr);
      f.text = fmt::format(
          "The provider rejected 301 '{}' of {} (Dagtekening {}): that 301 is taken out of "
          "force ({}).",
          h.identificatie.value, h.afzender.value, h.dagtekening.value,
          numbers.empty() ? std::string("it held no stored allocation versions")
                          : "allocation versions removed: ToewijzingNummer " + list);
    }
    o().result.findings.push_back(std::move(f));
  }
};

}  // namespace

Recorded record_large(Ledger& ledger, const LargeInput& in, ValidationResult&& result,
                      const Options& options) {
  Prepared none;
  Writer w{ledger, none, options, nullptr, {}};
  w.rec.outcome.result = std::move(result);
  const std::string source = w.o().result.source;
  if (auto dups = ledger.inputs_with_file(in.fd, in.size, in.hash); !dups.empty()) {
    w.duplicate(dups.front());
    return std::move(w.rec);
  }
  NewMessage n;
  n.role = ledger::Role::input;
  n.type = w.o().result.type == MessageType::unknown ? std::string()
                                                 : std::string(model::to_string(w.o().result.type));
  n.source = source;
  n.verdict = Verdict::quarantined;
  n.level = 1;
  n.findings_json = findings_json(w.o().result);
  n.route_path = quarantine_route(source);
  n.reason = fmt::format(
      "{}: too large: the file is {} ({} bytes), more than the maximum message size of {} ({} "
      "bytes, --max-size).\n"
      "It was not read as a message and no retour was made; the file next to this .reason is "
      "the input exactly as received.\n"
      "Check whether it really is one iWmo message: `istd explain LIMIT` says what to do.\n",
      source, util::size_text(in.size), in.size, util::size_text(in.limit), in.limit);
  *n.reason += report::to_text(w.o().result);
  const auto r = ledger.add_message_from_file(n, in.fd, in.size, in.hash);
  using S = ledger::FileInsert::Status;
  if (r.status != S::stored) {
    w.o().error =
        r.status == S::changed
            ? std::string(
                  "the file changed while it was being read; nothing was recorded "
                  "(run again to take it in)")
        : r.status == S::unreadable
            ? fmt::format("cannot read the file: {}; nothing was recorded", r.error)
            : fmt::format(
                  "the file is {} ({} bytes), more than the ledger can keep ({}); "
                  "nothing was recorded",
                  util::size_text(in.size), in.size, util::size_text(ledger.max_message_bytes()));
    return std::move(w.rec);
  }
  w.o().message_id = r.id;
  w.o().quarantined = true;
  w.o().route = n.route_path;
  w.o().verdict = Verdict::quarantined;
  if (!options.out_dir.empty())
    w.rec.large = output::RoutedFile{r.id, n.route_path, std::string(), *n.reason};
  return std::move(w.rec);
}

bool has_retour(MessageType heen) { return retour_type(heen) != MessageType::unknown; }

std::string retour_route(const model::Message& heen, MessageId retour_id) {
  // A retour goes to the heenbericht's Afzender.
  return fmt::format("{}/{}/{}.xml", heen.header.afzender.value,
                     model::to_string(retour_type(heen.type)),
                     ledger::output_identificatie(retour_id));
}

NewMessage input_row(const model::Message& m, Prepared& input, const std::string& source) {
  NewMessage n;
  n.role = ledger::Role::input;
  n.type = std::string(model::to_string(m.type));
  n.berichtcode = m.header.berichtcode.value;
  n.afzender = m.header.afzender.value;
  n.ontvanger = m.header.ontvanger.value;
  n.identificatie = m.header.identificatie.value;
  n.dagtekening = m.header.dagtekening.value;
  n.xsd_basis = m.header.basisschema_xsd_versie.value;
  n.xsd_bericht = m.header.bericht_xsd_versie.value;
  n.source = source;
  n.bytes = std::string(input.bytes);
  n.content_hash = input.hash;
  n.packed = std::exchange(input.packed, std::nullopt);  // one row per input takes it
  return n;
}

Recorded record(Ledger& ledger, Prepared& input, ValidationResult&& result, Decision&& d,
                const Options& options, const SchemaBundle* schemas) {
  Writer w{ledger, input, options, schemas, {}};
  w.rec.outcome.result = std::move(result);
  switch (d.action) {
    case Decision::Action::duplicate:
      w.duplicate(*d.earlier);
      break;
    case Decision::Action::quarantine:
      w.quarantine(d);
      break;
    case Decision::Action::record:
      // In this transaction, before the 302 itself: a rejecting 302 takes its 301 out of force.
      if (d.withdraw_301) w.withdraw_rejected_301();
      w.input_record(d);
      if (d.intake) w.declaration(*d.intake);
      if (d.retour) w.retour(std::move(*d.retour));
      break;
  }
  return std::move(w.rec);
}

// -- The retour's bytes ----------------------------------------------------------------------
//
// Retour messages 302/306/308/316/318/320 (docs/ingest.md): the heenbericht's header copied with
// the retour's BerichtCode plus the retour fields, and, when a class under the client was judged
// faulty, the complete Client (the Antwoord of a 319) with every class copied unchanged and a
// RetourCodes per class. The header is written from the model; the Client is copied element by
// element from the heenbericht's bytes (the model does not hold every field), renamed into the
// retour's namespace.

namespace {

MessageType retour_type(MessageType heen) {
  switch (model::number(heen)) {
    case 301: case 305: case 307: case 315: case 317: case 319:
      return model::type_of(model::standard_of(heen), model::number(heen) + 1);
    default: return MessageType::unknown;
  }
}


// The class under the root that the retour copies: the Client, or the Antwoord of a 319.
bool is_root_class(std::string_view local) { return local == "Client" || local == "Antwoord"; }
// The classes whose codes the caller gives (RetourContent::class_codes, in document order).
bool is_product_class(std::string_view local) {
  return local == "ToegewezenProduct" || local == "StartProduct" || local == "StopProduct" ||
         local == "AangevraagdProduct" || local == "Verzoek" || local == "OngewijzigdProduct" ||
         local == "TeWijzigenProduct" || local == "NieuwProduct";
}
// The classes that carry their own RetourCodes in the retours (2.7).
bool is_class(std::string_view local) {
  return local == "Relatie" || local == "Contact" || local == "Woonplaatsbeginsel" ||
         is_product_class(local);
}

void write_codes(std::string& out, int depth, std::string_view prefix,
                 const std::vector<std::string>& codes) {
  std::string ind(static_cast<std::size_t>(depth), '\t');
  out += ind + "<" + std::string(prefix) + ":RetourCodes>\n";
  if (codes.empty()) {
    out += ind + "\t<" + std::string(prefix) + ":RetourCode>0200</" + std::string(prefix) +
           ":RetourCode>\n";
  }
  for (const auto& c : codes)
    out += ind + "\t<" + std::string(prefix) + ":RetourCode>" + util::XmlWriter::escape(c) +
           "</" + std::string(prefix) + ":RetourCode>\n";
  out += ind + "</" + std::string(prefix) + ":RetourCodes>\n";
}

// A minimal pull tokenizer for the (already XSD-validated, hence well-formed) heenbericht:
// start/end/empty tags with namespace declarations, text, comments, PIs, CDATA.
class ClientCopier {
 public:
  /// `basis_prefix`: the prefix the retour declares for the basisschema ("iwmo" or "ijw").
  ClientCopier(std::string_view in, std::string msg_ns, std::string prefix,
               std::string basis_prefix, const RetourContent& c)
      : in_(in), msg_ns_(std::move(msg_ns)), prefix_(std::move(prefix)),
        basis_prefix_(std::move(basis_prefix)), c_(c) {}

  /// Appends the copied Client (at indentation depth 1) to `out`.
  void run(std::string& out) {
    std::vector<std::map<std::string, std::string>> scopes;
    std::vector<Elem> stack;
    std::size_t product_index = 0;
    bool in_client = false;
    std::string text;
    std::size_t i = 0;
    while (i < in_.size()) {
      if (in_[i] != '<') {
        std::size_t j = in_.find('<', i);
        if (j == std::string_view::npos) j = in_.size();
        if (in_client) text.append(in_.substr(i, j - i));
        i = j;
        continue;
      }
      if (in_.compare(i, 4, "<!--") == 0) {
        i = skip_past(i, "-->");
        continue;
      }
      if (in_.compare(i, 9, "<![CDATA[") == 0) {
        std::size_t e = in_.find("]]>", i + 9);
        if (e == std::string_view::npos) e = in_.size();
        if (in_client) text += util::XmlWriter::escape(in_.substr(i + 9, e - i - 9));
        i = e == in_.size() ? e : e + 3;
        continue;
      }
      if (in_.compare(i, 2, "<?") == 0 || in_.compare(i, 2, "<!") == 0) {
        i = skip_past(i, ">");
        continue;
      }
      std::size_t e = find_tag_end(i);
      std::string_view tag = in_.substr(i + 1, e - i - 1);
      i = e + 1;
      if (!tag.empty() && tag[0] == '/') {
        // End tag.
        if (stack.empty()) continue;
        Elem el = std::move(stack.back());
        stack.pop_back();
        scopes.pop_back();
        if (el.copied) {
          const int depth = static_cast<int>(el.depth);
          std::string ind(el.depth, '\t');
          if (!el.opened) {
            out += ind + "<" + el.qname + ">" + text + "</" + el.qname + ">\n";
          } else {
            if (is_class(el.local) || is_root_class(el.local)) {
              const std::vector<std::string>* codes = &kNone;
              if (is_root_class(el.local)) codes = &c_.client_codes;
              else if (is_product_class(el.local) && el.index < c_.class_codes.size())
                codes = &c_.class_codes[el.index];
              write_codes(out, depth + 1, prefix_, *codes);
            }
            out += ind + "</" + el.qname + ">\n";
          }
        }
        if (el.copied && is_root_class(el.local) && stack.size() == 1) in_client = false;
        text.clear();
        continue;
      }
      const bool empty = !tag.empty() && tag.back() == '/';
      if (empty) tag.remove_suffix(1);
      // Name and attributes.
      std::size_t k = 0;
      while (k < tag.size() && !is_space(tag[k])) ++k;
      std::string_view qn = tag.substr(0, k);
      std::map<std::string, std::string> scope = scopes.empty() ? std::map<std::string, std::string>{}
                                                                 : scopes.back();
      parse_ns_attributes(tag.substr(k), scope);
      std::string_view pfx, local = qn;
      if (auto c = qn.find(':'); c != std::string_view::npos) {
        pfx = qn.substr(0, c);
        local = qn.substr(c + 1);
      }
      auto it = scope.find(std::string(pfx));
      const std::string uri = it == scope.end() ? std::string() : it->second;
      Elem el;
      el.local = std::string(local);
      el.depth = stack.empty() ? 0 : stack.back().depth + 1;
      // Start copying at the root's Client (or Antwoord).
      if (!in_client && stack.size() == 1 && is_root_class(local) && uri == msg_ns_)
        in_client = true;
      if (in_client) {
        el.copied = true;
        // The parent's start tag is written when its first child appears (a leaf is written
        // whole at its end tag).
        if (!stack.empty() && stack.back().copied && !stack.back().opened)
          open_pending(out, stack.back());
        el.qname = (uri == msg_ns_ ? prefix_ : basis_prefix_) + ":" + el.local;
        if (is_product_class(el.local)) el.index = product_index++;
      }
      text.clear();
      if (empty) {
        if (el.copied) {
          if (!stack.empty() && stack.back().copied && !stack.back().opened)
            open_pending(out, stack.back());
          std::string ind(el.depth, '\t');
          if (is_root_class(el.local) || is_class(el.local)) {
            out += ind + "<" + el.qname + ">\n";
            write_codes(out, static_cast<int>(el.depth) + 1, prefix_, kNone);
            out += ind + "</" + el.qname + ">\n";
          } else {
            out += ind + "<" + el.qname + "></" + el.qname + ">\n";
          }
        }
        continue;
      }
      scopes.push_back(std::move(scope));
      stack.push_back(std::move(el));
    }
  }

 private:
  struct Elem {
    std::string local, qname;
    std::size_t depth = 0;
    std::size_t index = 0;
    bool copied = false;
    bool opened = false;  ///< start tag written (it has child elements)
  };
  static inline const std::vector<std::string> kNone{};

  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

  void open_pending(std::string& out, Elem& parent) {
    parent.opened = true;
    out += std::string(parent.depth, '\t') + "<" + parent.qname + ">\n";
  }

  std::size_t skip_past(std::size_t i, std::string_view end) const {
    std::size_t e = in_.find(end, i);
    return e == std::string_view::npos ? in_.size() : e + end.size();
  }

  std::size_t find_tag_end(std::size_t i) const {
    char quote = 0;
    for (std::size_t j = i + 1; j < in_.size(); ++j) {
      char c = in_[j];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return j;
      }
    }
    return in_.size() - 1;
  }

  static void parse_ns_attributes(std::string_view a, std::map<std::string, std::string>& scope) {
    std::size_t i = 0;
    while (i < a.size()) {
      while (i < a.size() && is_space(a[i])) ++i;
      std::size_t n0 = i;
      while (i < a.size() && a[i] != '=' && !is_space(a[i])) ++i;
      std::string_view name = a.substr(n0, i - n0);
      while (i < a.size() && (is_space(a[i]) || a[i] == '=')) ++i;
      if (i >= a.size()) break;
      char q = a[i];
      if (q != '"' && q != '\'') break;
      std::size_t v0 = ++i;
      while (i < a.size() && a[i] != q) ++i;
      std::string_view value = a.substr(v0, i - v0);
      ++i;
      if (name == "xmlns") scope[""] = std::string(value);
      else if (name.substr(0, 6) == "xmlns:") scope[std::string(name.substr(6))] = std::string(value);
    }
  }

  std::string_view in_;
  std::string msg_ns_;
  std::string prefix_;
  std::string basis_prefix_;
  const RetourContent& c_;
};

std::string build_retour(const model::Message& heen, std::string_view original,
                         const RetourContent& c) {
  const MessageType rt = retour_type(heen.type);
  const auto standard = model::standard_of(rt);
  // Prefixes as in the official examples: "wmo306"/"jw306" and "iwmo"/"ijw".
  const std::string p = fmt::format("{}{}", model::standard_key(standard), model::number(rt));
  const std::string ns = model::namespace_of(rt);
  const std::string b = standard == model::Standard::iwmo ? "iwmo" : "ijw";
  const auto& h = heen.header;
  util::XmlWriter w;
  w.open(p + ":Bericht",
         {{"xmlns:" + p, ns}, {"xmlns:" + b, std::string(model::basisschema_namespace(standard))}});
  w.open(p + ":Header");
  w.leaf(p + ":BerichtCode", model::bericht_code(rt));
  w.leaf(p + ":BerichtVersie", h.berichtversie.value);
  w.leaf(p + ":BerichtSubversie", h.berichtsubversie.value);
  w.leaf(p + ":Afzender", h.afzender.value);
  w.leaf(p + ":Ontvanger", h.ontvanger.value);
  w.open(p + ":BerichtIdentificatie");
  w.leaf(b + ":Identificatie", h.identificatie.value);
  w.leaf(b + ":Dagtekening", h.dagtekening.value);
  w.close();
  w.open(p + ":XsdVersie");
  w.leaf(b + ":BasisschemaXsdVersie", h.basisschema_xsd_versie.value);
  w.leaf(b + ":BerichtXsdVersie", h.bericht_xsd_versie.value);
  w.close();
  w.leaf(p + ":IdentificatieRetour", c.identificatie_retour);
  w.leaf(p + ":DagtekeningRetour", c.dagtekening_retour);
  if (c.xslt) w.leaf(p + ":XsltVersie", rules::kXsltVersie);
  w.open(p + ":XsdVersieRetour");
  w.leaf(b + ":BasisschemaXsdVersie", c.xsd_basis);
  w.leaf(b + ":BerichtXsdVersie", c.xsd_bericht);
  w.close();
  if (!c.header_codes.empty()) {
    w.open(p + ":RetourCodes");
    for (const auto& code : c.header_codes) w.leaf(p + ":RetourCode", code);
    w.close();
  }
  w.close();  // Header
  std::string out = w.finish();
  if (c.with_client) {
    // finish() closed the root; reopen by cutting its end tag and appending the copied Client.
    const std::string end = "</" + p + ":Bericht>\n";
    out.resize(out.size() - end.size());
    ClientCopier copier(original, model::namespace_of(heen.type), p, b, c);
    copier.run(out);
    out += end;
  }
  return out;
}

}  // namespace

}  // namespace istd::ingest
