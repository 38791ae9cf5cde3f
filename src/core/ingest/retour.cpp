// Retour messages 302/306/308/316/318/320. The header is written from the model; the Client (when present)
// is copied element by element from the heenbericht's bytes, renamed into the retour's
// namespace, with a RetourCodes appended to every berichtklasse.
#include "core/ingest/retour.hpp"

#include <map>

#include <fmt/format.h>
#include <string_view>

#include "core/rules/rules.hpp"
#include "core/util/xml_writer.hpp"

namespace istd::ingest {

using model::MessageType;

MessageType retour_type(MessageType heen) {
  switch (model::number(heen)) {
    case 301: case 305: case 307: case 315: case 317: case 319:
      return model::type_of(model::standard_of(heen), model::number(heen) + 1);
    default: return MessageType::unknown;
  }
}

namespace {

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

}  // namespace

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

}  // namespace istd::ingest
