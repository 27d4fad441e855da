// Must not compile: panels/ draw app state and reach the browser only through
// app/'s interfaces (CTest frontend.layers.panels_includes_platform expects the error).
#include "app/fetcher.hpp"     // the layer below: found
#include "panels/style.hpp"    // its own layer: found
#include "platform/fetch.hpp"  // the layer beside: "No such file or directory"
