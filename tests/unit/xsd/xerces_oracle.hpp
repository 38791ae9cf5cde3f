// Xerces-C as the oracle of the compiled simple types and patterns: its regular expressions
// (the class its schema validator uses, in XML Schema mode) and a validating parse of one
// element of a simple type declared in a small schema held in memory.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/framework/psvi/XSElementDeclaration.hpp>
#include <xercesc/framework/psvi/XSModel.hpp>
#include <xercesc/framework/psvi/XSSimpleTypeDefinition.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>
#include <xercesc/sax2/XMLReaderFactory.hpp>
#include <xercesc/util/XMLException.hpp>
#include <xercesc/util/XMLUni.hpp>
#include <xercesc/util/regx/RegularExpression.hpp>
#include <xercesc/validators/common/Grammar.hpp>
#include <xercesc/validators/schema/SchemaSymbols.hpp>

namespace istd::xsd::test {

/// UTF-8 to UTF-16 (valid input assumed).
inline std::u16string to_utf16(std::string_view s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    char32_t c;
    int n;
    if (b < 0x80) {
      c = b;
      n = 0;
    } else if (b < 0xE0) {
      c = b & 0x1F;
      n = 1;
    } else if (b < 0xF0) {
      c = b & 0x0F;
      n = 2;
    } else {
      c = b & 0x07;
      n = 3;
    }
    ++i;
    for (int k = 0; k < n && i < s.size(); ++k, ++i)
      c = (c << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
    if (c >= 0x10000) {
      out.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(c));
    }
  }
  return out;
}

inline const XMLCh* xc(const std::u16string& s) {
  return reinterpret_cast<const XMLCh*>(s.c_str());
}

/// Xerces' verdict on `value` (UTF-8) against `regex` as its schema validator asks it.
inline bool xerces_regex_matches(std::string_view regex, std::string_view value) {
  const std::u16string r = to_utf16(regex), v = to_utf16(value);
  xercesc::RegularExpression re(xc(r), xercesc::SchemaSymbols::fgRegEx_XOption);
  return re.matches(xc(v));
}

/// Text escaped for element content.
inline std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '&': out += "&amp;"; break;
      case '>': out += "&gt;"; break;
      case '\r': out += "&#13;"; break;  // a literal CR would become LF
      default: out.push_back(c);
    }
  }
  return out;
}

/// A schema with target namespace urn:t declaring element <v> of type `type` (a QName such as
/// "t:T" or "xs:date"), after the simple type definitions in `definitions`. Values are validated
/// as the content of <v> by Xerces' validating SAX2 parser.
class SchemaOracle {
 public:
  SchemaOracle(const std::string& definitions, const std::string& type)
      : pool_(xercesc::XMLPlatformUtils::fgMemoryManager) {
    using namespace xercesc;
    schema_ =
        "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema' targetNamespace='urn:t' "
        "xmlns:t='urn:t' elementFormDefault='qualified'>" +
        definitions + "<xs:element name='v' type='" + type + "'/></xs:schema>";
    reader_.reset(XMLReaderFactory::createXMLReader(XMLPlatformUtils::fgMemoryManager, &pool_));
    reader_->setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
    reader_->setFeature(XMLUni::fgSAX2CoreValidation, true);
    reader_->setFeature(XMLUni::fgXercesDynamic, false);
    reader_->setFeature(XMLUni::fgXercesSchema, true);
    reader_->setFeature(XMLUni::fgXercesLoadSchema, true);
    reader_->setFeature(XMLUni::fgXercesCacheGrammarFromParse, true);
    reader_->setErrorHandler(&errors_);
    MemBufInputSource src(reinterpret_cast<const XMLByte*>(schema_.data()), schema_.size(),
                          u"test.xsd", false);
    Grammar* g = reader_->loadGrammar(src, Grammar::SchemaGrammarType, true);
    if (!g || errors_.count != 0)
      throw std::runtime_error("test schema does not compile: " + errors_.first + "\n" + schema_);
    reader_->setFeature(XMLUni::fgXercesUseCachedGrammarInParse, true);
    reader_->setFeature(XMLUni::fgXercesLoadSchema, false);
    reader_->setFeature(XMLUni::fgXercesCacheGrammarFromParse, false);
    bool changed = false;
    model_ = pool_.getXSModel(changed);
    auto* decl = model_->getElementDeclaration(u"v", u"urn:t");
    if (!decl || decl->getTypeDefinition()->getTypeCategory() != XSTypeDefinition::SIMPLE_TYPE)
      throw std::runtime_error("test schema: no simple-typed element v");
    type_ = static_cast<XSSimpleTypeDefinition*>(decl->getTypeDefinition());
  }

  const xercesc::XSSimpleTypeDefinition& type() const { return *type_; }

  /// Xerces' verdict on the value (UTF-8) as the text of <v>.
  bool valid(std::string_view value) {
    using namespace xercesc;
    const std::string doc = "<v xmlns='urn:t'>" + xml_escape(value) + "</v>";
    MemBufInputSource src(reinterpret_cast<const XMLByte*>(doc.data()), doc.size(), u"v.xml",
                          false);
    errors_.count = 0;
    errors_.first.clear();
    reader_->parse(src);
    return errors_.count == 0;
  }
  const std::string& last_error() const { return errors_.first; }

 private:
  struct Errors : public xercesc::DefaultHandler {
    int count = 0;
    std::string first;
    void error(const xercesc::SAXParseException& e) override { add(e); }
    void fatalError(const xercesc::SAXParseException& e) override { add(e); }
    void add(const xercesc::SAXParseException& e) {
      if (count++ == 0) {
        for (const XMLCh* p = e.getMessage(); p && *p; ++p)
          first.push_back(*p < 0x80 ? static_cast<char>(*p) : '?');
      }
    }
  };
  std::string schema_;
  xercesc::XMLGrammarPoolImpl pool_;
  std::unique_ptr<xercesc::SAX2XMLReader> reader_;
  Errors errors_;
  xercesc::XSModel* model_ = nullptr;
  xercesc::XSSimpleTypeDefinition* type_ = nullptr;
};

}  // namespace istd::xsd::test
