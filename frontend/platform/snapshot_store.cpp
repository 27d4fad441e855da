#include "platform/snapshot_store.hpp"

#include "platform/idle_gate.hpp"

#include <emscripten.h>

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

// One operation started in JavaScript and waiting for its end.
struct Pending {
  std::function<void(int status, int handle, std::string text)> done;
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};
struct Finished {
  unsigned id;
  int status;
  int handle;
  std::string text;
};

std::unordered_map<unsigned, Pending> pending_operations;
std::vector<Finished> finished_operations;
std::string operation_text;  // JavaScript writes an operation's text result here before finishing it
unsigned next_operation_id = 1;

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE char* invites_offline_text(int size) {
  operation_text.assign(static_cast<std::size_t>(size < 0 ? 0 : size), '\0');
  return operation_text.data();
}

extern "C" EMSCRIPTEN_KEEPALIVE void invites_offline_done(unsigned id, int status, int handle) {
  finished_operations.push_back({id, status, handle, std::move(operation_text)});
  operation_text.clear();
  invites::platform::idle::wake();
}

extern "C" EMSCRIPTEN_KEEPALIVE void invites_offline_progress(unsigned id, double received, double total) {
  auto it = pending_operations.find(id);
  if (it == pending_operations.end() || !it->second.progress) return;
  it->second.progress(static_cast<std::uint64_t>(received), static_cast<std::uint64_t>(total));
  invites::platform::idle::wake();
}

// The JavaScript half, installed once as Module.invitesOffline.
// JavaScript: clang-format would break it (`===` becomes `== =`).
// clang-format off
EM_JS(void, js_offline_install, (), {
  if (Module.invitesOffline) return;
  var DB = 'invites-offline', STORE = 'snapshot';
  var api = { blobs: {}, nextHandle: 1, db: null };
  var finish = function(id, status, handle, text) {
    var bytes = new TextEncoder().encode(text || "");
    var ptr = _invites_offline_text(bytes.length);
    if (ptr && bytes.length) HEAPU8.set(bytes, ptr);  /* after the call: memory may have grown */
    _invites_offline_done(id, status, handle);
  };
  var keep = function(buffer) {
    var handle = api.nextHandle++;
    api.blobs[handle] = new Uint8Array(buffer);
    return handle;
  };
  var open = function() {
    if (api.db) return Promise.resolve(api.db);
    return new Promise(function(resolve, reject) {
      if (typeof indexedDB === 'undefined') { reject(new Error('IndexedDB is not available')); return; }
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function() { req.result.createObjectStore(STORE); };
      req.onsuccess = function() {
        api.db = req.result;
        api.db.onversionchange = function() { api.db.close(); api.db = null; };
        resolve(api.db);
      };
      req.onerror = function() { reject(req.error || new Error('cannot open ' + DB)); };
      req.onblocked = function() { reject(new Error(DB + ' is blocked by another tab')); };
    });
  };
  var message = function(err) { return (err && (err.message || err.name)) || String(err); };
  api.size = function(handle) { var b = api.blobs[handle]; return b ? b.length : 0; };
  api.read = function(handle, offset, ptr, n) {
    var b = api.blobs[handle];
    if (b) HEAPU8.set(b.subarray(offset, offset + n), ptr);
  };
  api.release = function(handle) { delete api.blobs[handle]; };
  api.create = function(size) { return keep(new ArrayBuffer(size)); };
  api.write = function(handle, offset, ptr, n) { api.blobs[handle].set(HEAPU8.subarray(ptr, ptr + n), offset); };

  api.download = function(id, etag) {
    var headers = {};
    if (etag) headers['If-None-Match'] = etag;
    fetch('/api/snapshot', { credentials: 'same-origin', cache: 'no-store', headers: headers })
      .then(function(response) {
        var info = { status: response.status, etag: response.headers.get('ETag') || "", error: "" };
        if (response.status !== 200) {
          return response.text().then(function(body) {
            if (response.status !== 304) {
              info.error = 'HTTP ' + response.status;
              try { var e = JSON.parse(body); if (e && e.error && e.error.message) info.error += ': ' + e.error.message; } catch (ignored) {}
            }
            finish(id, response.status, 0, JSON.stringify(info));
          });
        }
        // Deltas (docs/design.md §7) are small: no buffer of the whole copy's size for them.
        info.delta = (response.headers.get('Content-Type') || '').indexOf('application/vnd.invites.snapshot-delta') === 0;
        var total = info.delta ? 0 : Number(response.headers.get('X-Snapshot-Bytes') || 0);
        var target = total > 0 ? new Uint8Array(total) : null;
        var chunks = [];
        var received = 0, reported = 0;
        var reader = response.body.getReader();
        var pump = function() {
          return reader.read().then(function(step) {
            if (step.done) return;
            var chunk = step.value;
            if (target && received + chunk.length <= total) target.set(chunk, received);
            else { if (target) { chunks.push(target.subarray(0, received)); target = null; } chunks.push(chunk); }
            received += chunk.length;
            var now = Date.now();
            if (now - reported > 100) { reported = now; _invites_offline_progress(id, received, total); }
            return pump();
          });
        };
        return pump().then(function() {
          var bytes;
          if (target) bytes = received === total ? target : target.subarray(0, received);
          else {
            bytes = new Uint8Array(received);
            var at = 0;
            chunks.forEach(function(c) { bytes.set(c, at); at += c.length; });
          }
          _invites_offline_progress(id, received, total);
          var handle = api.nextHandle++;
          api.blobs[handle] = bytes;
          finish(id, 200, handle, JSON.stringify(info));
        });
      })
      .catch(function(err) {
        var reason = navigator.onLine === false ? 'offline' : 'network error (' + message(err) + ')';
        finish(id, 0, 0, JSON.stringify({ status: 0, etag: "", error: reason }));
      });
  };

  api.load = function(id, withBytes) {
    open().then(function(db) {
      return new Promise(function(resolve, reject) {
        var tx = db.transaction(STORE, 'readonly');
        var store = tx.objectStore(STORE);
        var meta = store.get('meta');
        var bytes = withBytes ? store.get('bytes') : null;
        tx.oncomplete = function() { resolve([meta.result, bytes ? bytes.result : undefined]); };
        tx.onerror = function() { reject(tx.error); };
        tx.onabort = function() { reject(tx.error || new Error('aborted')); };
      });
    }).then(function(found) {
      var meta = found[0], bytes = found[1];
      if (typeof meta !== 'string') { finish(id, 404, 0, ""); return; }
      var handle = 0;
      if (withBytes) {
        if (bytes instanceof ArrayBuffer) handle = keep(bytes);
        else if (ArrayBuffer.isView(bytes)) handle = keep(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        else { finish(id, 500, 0, 'the stored bytes are missing or of the wrong type'); return; }
      }
      finish(id, 200, handle, meta);
    }).catch(function(err) { finish(id, 500, 0, message(err)); });
  };

  api.save = function(id, meta, handle) {
    open().then(function(db) {
      return new Promise(function(resolve, reject) {
        var tx = db.transaction(STORE, 'readwrite');
        var store = tx.objectStore(STORE);
        var b = handle ? api.blobs[handle] : null;
        if (b) store.put(b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b.buffer : b.slice().buffer, 'bytes');
        store.put(meta, 'meta');
        tx.oncomplete = function() { resolve(); };
        tx.onerror = function() { reject(tx.error); };
        tx.onabort = function() { reject(tx.error || new Error('aborted (storage quota?)')); };
      });
    }).then(function() { finish(id, 200, 0, ""); })
      .catch(function(err) { finish(id, 500, 0, message(err)); });
  };

  api.clear = function() {
    open().then(function(db) {
      var tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).clear();
    }).catch(function(err) { console.warn('offline copy not cleared:', message(err)); });
  };
  Module.invitesOffline = api;
});

EM_JS(void, js_offline_download, (unsigned id, const char* etag), { Module.invitesOffline.download(id, UTF8ToString(etag)); });
EM_JS(void, js_offline_load, (unsigned id, int with_bytes), { Module.invitesOffline.load(id, !!with_bytes); });
EM_JS(void, js_offline_save, (unsigned id, const char* meta, int handle), {
  Module.invitesOffline.save(id, UTF8ToString(meta), handle);
});
EM_JS(void, js_offline_clear, (), { Module.invitesOffline.clear(); });
EM_JS(double, js_blob_size, (int handle), { return Module.invitesOffline.size(handle); });
EM_JS(void, js_blob_read, (int handle, double offset, void* out, double n), {
  Module.invitesOffline.read(handle, offset, out, n);
});
EM_JS(void, js_blob_release, (int handle), { Module.invitesOffline.release(handle); });
EM_JS(int, js_blob_create, (double size), { return Module.invitesOffline.create(size); });
EM_JS(void, js_blob_write, (int handle, double offset, const void* data, double n), {
  Module.invitesOffline.write(handle, offset, data, n);
});
EM_JS(double, js_date_now, (), { return Date.now(); });
// clang-format on
// A file made by the app, handed to the browser as a download (Blob URL).
// JavaScript: clang-format would break it (`===` becomes `== =`).
// clang-format off
EM_JS(void, js_save_file, (const char* name, const char* data, double size), {
  var blob = new Blob([HEAPU8.slice(data, data + size)], { type: 'text/csv;charset=utf-8' });
  var a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = UTF8ToString(name);
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(function() { URL.revokeObjectURL(a.href); }, 60000);
});
// clang-format on

namespace invites::platform {

namespace {

// An ArrayBuffer kept by the JavaScript half, read into wasm memory on demand.
class JsBlob final : public ByteSource {
 public:
  explicit JsBlob(int handle) : handle_(handle), size_(static_cast<std::size_t>(js_blob_size(handle))) {}
  ~JsBlob() override { js_blob_release(handle_); }
  JsBlob(const JsBlob&) = delete;
  JsBlob& operator=(const JsBlob&) = delete;
  std::size_t size() const override { return size_; }
  void read(std::size_t offset, std::uint8_t* out, std::size_t n) override {
    js_blob_read(handle_, static_cast<double>(offset), out, static_cast<double>(n));
  }
  int handle() const { return handle_; }

 private:
  int handle_;
  std::size_t size_;
};

unsigned start(Pending pending) {
  const unsigned id = next_operation_id++;
  pending_operations.emplace(id, std::move(pending));
  return id;
}

}  // namespace

WebSnapshotPlatform::WebSnapshotPlatform() { js_offline_install(); }

void WebSnapshotPlatform::download(const std::string& etag, std::function<void(std::uint64_t, std::uint64_t)> progress,
                                   std::function<void(app::SnapshotDownload)> done) {
  const unsigned id = start({[done = std::move(done)](int status, int handle, std::string text) {
                               app::SnapshotDownload d;
                               d.status = status;
                               const auto info = nlohmann::json::parse(text, nullptr, false);
                               if (info.is_object()) {
                                 d.etag = info.value("etag", "");
                                 d.error = info.value("error", "");
                                 d.delta = info.value("delta", false);
                               }
                               if (handle) d.bytes = std::make_shared<JsBlob>(handle);
                               done(std::move(d));
                             },
                             std::move(progress)});
  js_offline_download(id, etag.c_str());
}

void WebSnapshotPlatform::load(bool with_bytes, std::function<void(std::optional<app::StoredCopy>, std::string)> done) {
  const unsigned id = start({[done = std::move(done)](int status, int handle, std::string text) {
                               if (status == 404) return done(std::nullopt, "");
                               if (status != 200) return done(std::nullopt, text);
                               app::StoredCopy copy;
                               copy.meta = std::move(text);
                               if (handle) copy.bytes = std::make_shared<JsBlob>(handle);
                               done(std::move(copy), "");
                             },
                             {}});
  js_offline_load(id, with_bytes ? 1 : 0);
}

void WebSnapshotPlatform::save(const std::string& meta, app::BlobPtr bytes, std::function<void(std::string)> done) {
  // The blob stays alive (in JS) until the transaction is over.
  const auto* blob = dynamic_cast<const JsBlob*>(bytes.get());
  const unsigned id = start({[done = std::move(done), bytes](int status, int, std::string text) {
                               done(status == 200 ? std::string() : text);
                             },
                             {}});
  js_offline_save(id, meta.c_str(), blob ? blob->handle() : 0);
}

app::BlobPtr WebSnapshotPlatform::make_blob(std::size_t size,
                                            const std::function<void(const PieceWriter& write)>& produce) {
  auto blob = std::make_shared<JsBlob>(js_blob_create(static_cast<double>(size)));
  std::size_t written = 0;
  produce([&](std::string_view piece) {
    if (piece.size() > size - written) throw std::length_error("more bytes than the blob was made for");
    js_blob_write(blob->handle(), static_cast<double>(written), piece.data(), static_cast<double>(piece.size()));
    written += piece.size();
  });
  if (written != size) throw std::length_error("fewer bytes than the blob was made for");
  return blob;
}

void WebSnapshotPlatform::clear() { js_offline_clear(); }

std::int64_t WebSnapshotPlatform::now_ms() { return static_cast<std::int64_t>(js_date_now()); }

void WebSnapshotPlatform::save_file(const std::string& name, const std::string& text) {
  js_save_file(name.c_str(), text.data(), static_cast<double>(text.size()));
}

void WebSnapshotPlatform::dispatch() {
  if (finished_operations.empty()) return;
  std::vector<Finished> finished;
  finished.swap(finished_operations);
  for (Finished& f : finished) {
    auto it = pending_operations.find(f.id);
    if (it == pending_operations.end()) {
      if (f.handle) js_blob_release(f.handle);
      continue;
    }
    Pending pending = std::move(it->second);
    pending_operations.erase(it);
    if (pending.done) pending.done(f.status, f.handle, std::move(f.text));
  }
}

}  // namespace invites::platform
