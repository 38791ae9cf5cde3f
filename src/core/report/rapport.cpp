#include "core/report/rapport.hpp"

#include "core/explain/catalogue.hpp"

#include <fmt/format.h>

#include "core/rules/rules.hpp"
#include "core/util/xml_writer.hpp"

namespace istd::report {

std::string xml_escape(std::string_view s) { return util::XmlWriter::escape(s); }

namespace {
std::string normalize_space(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}
}  // namespace

std::string to_rapport(const ValidationResult& r) {
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += fmt::format("<Rapport xmlns=\"{}\">\n  <Header>\n", kRapportNamespace);
  auto leaf = [&x](std::string_view indent, std::string_view name, std::string_view value) {
    x += fmt::format("{}<{}>{}</{}>\n", indent, name, xml_escape(value), name);
  };
  if (r.message) {
    const auto& h = r.message->header;
    leaf("    ", "BerichtCode", h.berichtcode.value);
    leaf("    ", "BerichtVersie", h.berichtversie.value);
    leaf("    ", "BerichtSubversie", h.berichtsubversie.value);
    x += "    <BerichtIdentificatie>\n";
    leaf("      ", "Identificatie", normalize_space(h.identificatie.value));
    leaf("      ", "Dagtekening", h.dagtekening.value);
    x += "    </BerichtIdentificatie>\n";
  } else {
    // Not XSD-valid: the official XSLT never sees such a message. Report what is known (the
    // type from the namespace, the Identificatie if it was read) and the XSD/XML findings.
    const auto code = model::bericht_code(r.type);
    if (!code.empty()) leaf("    ", "BerichtCode", code);
    if (!r.identificatie.empty()) {
      x += "    <BerichtIdentificatie>\n";
      leaf("      ", "Identificatie", normalize_space(r.identificatie));
      x += "    </BerichtIdentificatie>\n";
    }
  }
  leaf("    ", "XSLTVersie", rules::kXsltVersie);
  x += "  </Header>\n";
  bool any = false;
  for (const auto& f : r.findings) {
    if (f.severity != Severity::error) continue;
    if (!any) x += "  <Fouten>\n";
    any = true;
    x += "    <Fout>\n";
    leaf("      ", "Code", f.rule);
    if (!f.retourcode.empty()) leaf("      ", "Retourcode", f.retourcode);
    for (const auto& p : f.paths) leaf("      ", "Locatie", p);
    // What is wrong here, then what to do about it (the catalogue's advice, in Dutch like
    // the rest of the rapport).
    const explain::Entry* e = explain::find(explain::rule_key(f.rule));
    leaf("      ", "Details", e ? f.text + " Wat te doen: " + e->action.nl : f.text);
    x += "    </Fout>\n";
  }
  x += any ? "  </Fouten>\n" : "  <Fouten/>\n";
  x += "</Rapport>\n";
  return x;
}

}  // namespace istd::report
