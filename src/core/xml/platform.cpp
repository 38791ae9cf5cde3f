#include "core/xml/platform.hpp"

#include <xercesc/util/PlatformUtils.hpp>

namespace istd::xml {

Platform::Platform() { xercesc::XMLPlatformUtils::Initialize(); }
Platform::~Platform() { xercesc::XMLPlatformUtils::Terminate(); }

}  // namespace istd::xml
