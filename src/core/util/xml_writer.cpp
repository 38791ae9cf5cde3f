#include "core/util/xml_writer.hpp"

namespace istd::util {

std::string XmlWriter::escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

void XmlWriter::indent() { out_.append(open_.size(), '\t'); }

XmlWriter& XmlWriter::open(std::string_view qname,
                           const std::vector<std::pair<std::string, std::string>>& attributes) {
  indent();
  out_ += '<';
  out_ += qname;
  for (const auto& [k, v] : attributes) {
    out_ += ' ';
    out_ += k;
    out_ += "=\"";
    out_ += escape(v);
    out_ += '"';
  }
  out_ += ">\n";
  open_.emplace_back(qname);
  return *this;
}

XmlWriter& XmlWriter::close() {
  if (open_.empty()) return *this;
  std::string name = std::move(open_.back());
  open_.pop_back();
  indent();
  out_ += "</";
  out_ += name;
  out_ += ">\n";
  return *this;
}

XmlWriter& XmlWriter::leaf(std::string_view qname, std::string_view text) {
  indent();
  out_ += '<';
  out_ += qname;
  out_ += '>';
  out_ += escape(text);
  out_ += "</";
  out_ += qname;
  out_ += ">\n";
  return *this;
}

std::string XmlWriter::finish() {
  while (!open_.empty()) close();
  return std::move(out_);
}

}  // namespace istd::util
