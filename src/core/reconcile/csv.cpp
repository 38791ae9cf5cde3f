#include "core/reconcile/csv.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/util/money.hpp"

namespace istd::reconcile::csv {

namespace {

constexpr std::array<char, 3> kSeparators = {',', ';', '\t'};

bool is_space(char c, char separator) { return (c == ' ' || c == '\t') && c != separator; }

std::string_view trim(std::string_view s, char separator) {
  while (!s.empty() && is_space(s.front(), separator)) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back(), separator)) s.remove_suffix(1);
  return s;
}

std::string separator_name(char separator) {
  return separator == '\t' ? std::string("TAB") : fmt::format("'{}'", separator);
}

/// Reads rows one at a time, so that the header can be tried with each separator.
class Reader {
 public:
  Reader(std::string_view text, const std::string& file, char separator)
      : text_(text), file_(file), sep_(separator) {}

  /// The next row that is not blank; false at the end of the text.
  bool next(Row& row) {
    while (pos_ < text_.size()) {
      row.line = line_;
      row.fields.clear();
      bool blank = true;
      while (true) {
        std::string field;
        if (read_field(field)) blank = false;
        row.fields.push_back(std::move(field));
        if (pos_ >= text_.size()) break;
        if (text_[pos_] == sep_) {
          ++pos_;
          continue;
        }
        // End of the line: "\n" or "\r\n" (read_field stops at nothing else).
        if (text_[pos_] == '\r') ++pos_;
        if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        ++line_;
        break;
      }
      if (!blank) return true;
    }
    return false;
  }

 private:
  bool at_line_end(std::size_t i) const {
    return i >= text_.size() || text_[i] == '\n' ||
           (text_[i] == '\r' && (i + 1 == text_.size() || text_[i + 1] == '\n'));
  }

  /// Reads one field up to its separator or line end (not consumed); true unless it is an
  /// unquoted field of nothing but spaces.
  bool read_field(std::string& field) {
    while (pos_ < text_.size() && is_space(text_[pos_], sep_)) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      const int start_line = line_;
      ++pos_;
      while (true) {
        if (pos_ >= text_.size())
          throw ConfigError(fmt::format(
              "{}:{}: unterminated quoted field (a \" without its closing \")", file_,
              start_line));
        const char c = text_[pos_];
        if (c == '"') {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
            field += '"';
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        if (c == '\n') ++line_;
        field += c;
        ++pos_;
      }
      while (pos_ < text_.size() && is_space(text_[pos_], sep_)) ++pos_;
      if (!at_line_end(pos_) && text_[pos_] != sep_)
        throw ConfigError(fmt::format(
            "{}:{}: text after the closing quote of a field (inside quotes, write \"\" for \")",
            file_, line_));
      return true;
    }
    const std::size_t start = pos_;
    while (!at_line_end(pos_) && text_[pos_] != sep_) ++pos_;
    field = std::string(trim(text_.substr(start, pos_ - start), sep_));
    return !field.empty();
  }

  std::string_view text_;
  const std::string& file_;
  char sep_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

std::string_view skip_bom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

/// The expected header written with `separator`: "bsn,month,amount[,household]".
std::string expected_header(const std::vector<std::string>& required,
                            const std::vector<std::string>& optional, char separator) {
  const std::string sep = separator == '\t' ? std::string("<TAB>") : std::string(1, separator);
  std::string s;
  for (const auto& r : required) s += (s.empty() ? "" : sep) + r;
  for (const auto& o : optional) s += "[" + sep + o + "]";
  return s;
}

/// What is wrong with the header's names ("" if nothing); fills `index` when nothing is.
std::string header_problem(const Row& header, const std::vector<std::string>& required,
                           const std::vector<std::string>& optional, std::vector<int>& index) {
  const auto& names = header.fields;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto& n = names[i];
    const bool known = std::find(required.begin(), required.end(), n) != required.end() ||
                       std::find(optional.begin(), optional.end(), n) != optional.end();
    if (!known) return fmt::format("unknown column \"{}\"", n);
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), n) !=
        names.begin() + static_cast<std::ptrdiff_t>(i))
      return fmt::format("duplicate column \"{}\"", n);
  }
  index.clear();
  for (const auto& r : required) {
    auto it = std::find(names.begin(), names.end(), r);
    if (it == names.end()) return fmt::format("missing column \"{}\"", r);
    index.push_back(static_cast<int>(it - names.begin()));
  }
  for (const auto& o : optional) {
    auto it = std::find(names.begin(), names.end(), o);
    index.push_back(it == names.end() ? -1 : static_cast<int>(it - names.begin()));
  }
  return "";
}

/// The header's line as written, for an error message.
std::string header_text(std::string_view text, int line) {
  std::size_t pos = 0;
  for (int l = 1; l < line && pos != std::string_view::npos; ++l) {
    pos = text.find('\n', pos);
    if (pos != std::string_view::npos) ++pos;
  }
  if (pos == std::string_view::npos) return "";
  std::string_view s = text.substr(pos, text.find('\n', pos) - pos);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  std::string out;
  for (char c : s.substr(0, 80)) out += c == '\t' ? std::string("<TAB>") : std::string(1, c);
  if (s.size() > 80) out += "...";
  return out;
}

}  // namespace

std::string read_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("{}: cannot read the file", file));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<Row> parse(std::string_view text, const std::string& file, char separator) {
  Reader reader(skip_bom(text), file, separator);
  std::vector<Row> rows;
  Row row;
  while (reader.next(row)) rows.push_back(std::move(row));
  return rows;
}

Table read(std::string_view text, const std::string& file,
           const std::vector<std::string>& required, const std::vector<std::string>& optional) {
  text = skip_bom(text);
  // Try the header with every separator; keep the first that gives the expected names, else
  // the one that splits the header into the most fields (to say what is wrong with it).
  struct Failed {
    char separator;
    Row header;
    std::string problem;
  };
  std::optional<Failed> best;
  std::optional<ConfigError> parse_error;
  bool empty = false;  // nothing but blank lines for some separator (";;" is blank for ';')
  for (char separator : kSeparators) {
    Reader reader(text, file, separator);
    Table table;
    table.separator = separator;
    try {
      if (!reader.next(table.header)) {
        empty = true;
        continue;
      }
    } catch (const ConfigError& e) {
      if (!parse_error) parse_error = e;
      continue;
    }
    std::string problem = header_problem(table.header, required, optional, table.columns);
    if (!problem.empty()) {
      if (!best || table.header.fields.size() > best->header.fields.size())
        best = Failed{separator, table.header, std::move(problem)};
      continue;
    }
    const std::size_t width = table.header.fields.size();
    Row row;
    while (reader.next(row)) {
      if (row.fields.size() != width) {
        std::string hint;
        if (separator == ',' && row.fields.size() > width)
          hint = " (in a file separated by ',', write an amount as \"21,00\" in quotes or as "
                 "21.00)";
        throw ConfigError(fmt::format("{}:{}: {} fields, the header has {}{}", file, row.line,
                                      row.fields.size(), width, hint));
      }
      table.rows.push_back(std::move(row));
    }
    return table;
  }
  if (empty || (!best && !parse_error))
    throw ConfigError(fmt::format("{}:1: empty file (expected the header {})", file,
                                  expected_header(required, optional, ',')));
  if (parse_error && (!best || best->header.fields.size() == 1)) throw *parse_error;
  if (best->header.fields.size() == 1)
    throw ConfigError(fmt::format(
        "{}:{}: no separator found: neither ',' nor ';' nor TAB splits the header \"{}\" into the "
        "columns {}",
        file, best->header.line, header_text(text, best->header.line),
        expected_header(required, optional, ',')));
  throw ConfigError(
      fmt::format("{}:{}: {} in the header (separated by {}); expected {} in any order", file,
                  best->header.line, best->problem, separator_name(best->separator),
                  expected_header(required, optional, best->separator)));
}

std::int64_t euros(std::string_view value, std::string_view column, const std::string& where) {
  std::string why;
  if (auto cents = util::parse_euros(value, &why)) return *cents;
  // Spreadsheets on Windows save "CSV" in Windows-1252, where the euro sign is the byte 0x80.
  if (value.find('\x80') != std::string_view::npos &&
      value.find("\xE2\x82\xAC") == std::string_view::npos)
    why = "not UTF-8 text (a euro sign from a Windows-1252 file?); save the file as \"CSV UTF-8\" "
          "or leave the euro sign out";
  throw ConfigError(fmt::format("{}: {} \"{}\": {}", where, column, value, why));
}

std::string field(std::string_view s) {
  if (s.find_first_of(";\"\n\r") == std::string_view::npos) return std::string(s);
  std::string o = "\"";
  for (char c : s) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}

std::string row(const std::vector<std::string>& fields) {
  std::string s;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) s += ';';
    s += field(fields[i]);
  }
  return s + '\n';
}

}  // namespace istd::reconcile::csv
