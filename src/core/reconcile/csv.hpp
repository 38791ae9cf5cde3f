// A small CSV reader for the reconcile inputs (billing list, contract tariffs), for files as
// people and spreadsheets write them: the separator (',', ';' or TAB) is the one that splits the
// header into the expected column names; fields may be quoted (separators, line breaks and ""
// for a quote inside); LF or CRLF; an optional UTF-8 BOM; blank lines (also lines of empty
// fields only, as spreadsheets write them) are ignored. Every problem is a ConfigError
// "FILE:LINE: message".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace istd::reconcile::csv {

struct Row {
  int line = 0;  ///< 1-based line number in the file (of the row's first line)
  std::vector<std::string> fields;
};

/// Splits `text` into rows at `separator`. Unquoted fields lose surrounding spaces (and tabs when
/// TAB is not the separator); blank rows are left out.
/// @throws ConfigError on an unterminated quote or text after a closing quote.
std::vector<Row> parse(std::string_view text, const std::string& file, char separator = ',');

/// A CSV file read against the header it must have.
struct Table {
  char separator = ',';
  Row header;
  std::vector<Row> rows;     ///< the data rows, each with as many fields as the header
  std::vector<int> columns;  ///< per name of `required` then `optional`: the field index or -1
};

/// Reads a CSV file whose header names every column of `required`, any of `optional` and
/// nothing else, once each, in any order. The separator is the one of ',', ';' and TAB that
/// splits the header into such names.
/// @throws ConfigError "FILE:LINE: ..." on an empty file, a header no separator splits into the
/// expected names (saying what is wrong), a row whose field count differs from the header's,
/// and the errors of parse().
Table read(std::string_view text, const std::string& file,
           const std::vector<std::string>& required, const std::vector<std::string>& optional);

/// The value of an amount column (`column`, e.g. "amount") in euros as people write them
/// (util::parse_euros: "21,00", "21.00", "€ 21,00", "21"), in cents.
/// @throws ConfigError "WHERE: column "VALUE": why" when it is not such an amount.
std::int64_t euros(std::string_view value, std::string_view column, const std::string& where);

/// A field of the `;`-separated output CSVs (Dutch spreadsheets), quoted when it holds a `;`, a
/// quote or a line break.
std::string field(std::string_view s);
/// A whole output row: the fields joined by `;`, with its newline.
std::string row(const std::vector<std::string>& fields);

/// Reads a whole file. @throws ConfigError when it cannot be read.
std::string read_file(const std::string& file);

}  // namespace istd::reconcile::csv
