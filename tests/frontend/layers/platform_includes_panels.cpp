// Must not compile: platform/ sits beside panels/, not above it (CTest
// frontend.layers.platform_includes_panels expects the error).
#include "app/fetcher.hpp"     // the layer below: found
#include "platform/page.hpp"   // its own layer: found
#include "panels/widgets.hpp"  // the layer beside: "No such file or directory"
