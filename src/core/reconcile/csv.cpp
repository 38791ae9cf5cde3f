#include "core/reconcile/csv.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace istd::reconcile::csv {

std::string read_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("{}: cannot read the file", file));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<Row> parse(std::string_view text, const std::string& file) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<Row> rows;
  std::size_t i = 0;
  int line = 1;
  while (i < text.size()) {
    Row row;
    row.line = line;
    std::string field;
    bool any = false;
    bool quoted_field = false;
    while (true) {
      if (i >= text.size()) {
        row.fields.push_back(std::move(field));
        break;
      }
      char c = text[i];
      if (c == '"' && field.empty() && !quoted_field) {
        quoted_field = true;
        any = true;
        ++i;
        const int start_line = line;
        while (true) {
          if (i >= text.size())
            throw ConfigError(fmt::format("{}:{}: unterminated quoted field", file, start_line));
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i++];
        }
        continue;
      }
      if (c == ',') {
        row.fields.push_back(std::move(field));
        field.clear();
        quoted_field = false;
        any = true;
        ++i;
        continue;
      }
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (text[i] == '\n') {
        ++i;
        row.fields.push_back(std::move(field));
        ++line;
        break;
      }
      field += c;
      any = true;
      ++i;
    }
    if (!any && row.fields.size() == 1 && row.fields[0].empty()) continue;  // blank line
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<int> columns(const Row& header, const std::vector<std::string>& required,
                         const std::vector<std::string>& optional, const std::string& file) {
  std::vector<std::string> names;
  for (auto h : header.fields) {
    while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.pop_back();
    while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.erase(h.begin());
    names.push_back(h);
  }
  auto expected = [&] {
    std::string s;
    for (const auto& r : required) s += (s.empty() ? "" : ",") + r;
    for (const auto& o : optional) s += ",[" + o + "]";
    return s;
  };
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto& n = names[i];
    const bool known = std::find(required.begin(), required.end(), n) != required.end() ||
                       std::find(optional.begin(), optional.end(), n) != optional.end();
    if (!known)
      throw ConfigError(fmt::format("{}:{}: unknown column \"{}\" (expected header {})", file,
                                    header.line, n, expected()));
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), n) !=
        names.begin() + static_cast<std::ptrdiff_t>(i))
      throw ConfigError(fmt::format("{}:{}: duplicate column \"{}\"", file, header.line, n));
  }
  std::vector<int> idx;
  for (const auto& r : required) {
    auto it = std::find(names.begin(), names.end(), r);
    if (it == names.end())
      throw ConfigError(fmt::format("{}:{}: missing column \"{}\" (expected header {})", file,
                                    header.line, r, expected()));
    idx.push_back(static_cast<int>(it - names.begin()));
  }
  for (const auto& o : optional) {
    auto it = std::find(names.begin(), names.end(), o);
    idx.push_back(it == names.end() ? -1 : static_cast<int>(it - names.begin()));
  }
  return idx;
}

}  // namespace istd::reconcile::csv
