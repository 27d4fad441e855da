// Must not compile: app/ is the bottom layer of the browser app and sees no
// browser code (CTest frontend.layers.app_includes_platform expects the error).
#include "app/fetcher.hpp"     // its own layer: found
#include "platform/fetch.hpp"  // a layer above: "No such file or directory"
