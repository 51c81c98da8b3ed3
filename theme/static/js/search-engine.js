/* Search engine over the index cchc_search writes: one lunr index (small sites) or term-range
   shards (large sites). For shards it fetches only those holding the query's terms, rebuilds a
   lunr.Index over those terms (same term indices and weights as the whole index) and lets lunr
   score it: the ranking is the one the whole index gives. On large sites a typed-array pass with
   lunr's formula first preselects the leading candidates, and lunr ranks those (allocating lunr
   objects for every match of a common word is what made it slow). No DOM here (the benchmark
   uses it too). */
(function (root) {
  "use strict";

  var lunr = root.lunr;
  var F = root.CCHCFold;
  // Sharded: how many leading results lunr itself ranks (ties at the cut included): one results
  // page. The typed-array pass uses lunr's formula, so the rest keep lunr's scores; only float
  // rounding in the last digits could order near-ties differently there.
  var RERANK = 20;

  function fetchJSON(url) {
    return root.fetch(url).then(function (res) {
      if (!res.ok) throw new Error(url + ": HTTP " + res.status);
      return res.json();
    });
  }

  /** Largest i with starts[i] <= term (lunr's own string order). */
  function shardFor(starts, term) {
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function queryFn(terms, presence) {
    return function (q) {
      terms.forEach(function (t) {
        q.term(t, { presence: presence, wildcard: lunr.Query.wildcard.NONE });
      });
    };
  }

  function Engine(manifestUrl) {
    this.manifestUrl = manifestUrl;
    this.base = manifestUrl.replace(/[^/]*$/, "");
    this.shards = {};   // shard number → Promise
    this.entries = {};  // term → [term, index, field postings…]
    this.chunks = {};   // chunk number → Promise<[store entry]>
    this._ready = null;
    this._facets = null;
    this.rerank = RERANK;
  }

  Engine.prototype.ready = function () {
    var self = this;
    if (!self._ready) {
      self._ready = fetchJSON(self.manifestUrl).then(function (m) {
        self.manifest = m;
        if (m.mode !== "single") return null;
        return fetchJSON(self.base + m.file).then(function (data) {
          self.index = lunr.Index.load(data.index);
          self.store = data.store;
          self._facets = Promise.resolve(data.facets);
        });
      });
    }
    return self._ready;
  };

  Engine.prototype._loadShard = function (n) {
    var self = this;
    if (!self.shards[n]) {
      self.shards[n] = fetchJSON(self.base + "shards/" + n + ".json").then(function (entries) {
        entries.forEach(function (e) { self.entries[e[0]] = e; });
      });
    }
    return self.shards[n];
  };

  /** A lunr.Index holding only *terms* (those present) and, if given, only the documents in *keep*. */
  Engine.prototype._subIndex = function (terms, keep) {
    var self = this;
    var fields = self.manifest.fields;
    var inverted = {};
    var vectors = {};
    var present = terms.filter(function (t) { return self.entries[t]; }).sort();
    present.forEach(function (t) {
      var e = self.entries[t];
      var posting = { _index: e[1] };
      fields.forEach(function (field, f) {
        var flat = e[2 + f];
        var refs = {};
        var ref = 0;
        for (var i = 0; i < flat.length; i += 2) {
          ref += flat[i];
          if (keep && !keep[ref]) continue;
          refs[ref] = {};
          var key = field + "/" + ref;
          (vectors[key] = vectors[key] || []).push([e[1], flat[i + 1] / 1000]);
        }
        posting[field] = refs;
      });
      inverted[t] = posting;
    });
    var fieldVectors = {};
    Object.keys(vectors).forEach(function (key) {
      var flat = [];
      vectors[key].sort(function (a, b) { return a[0] - b[0]; }).forEach(function (p) {
        flat.push(p[0], p[1]);
      });
      fieldVectors[key] = new lunr.Vector(flat);
    });
    return new lunr.Index({
      invertedIndex: inverted,
      fieldVectors: fieldVectors,
      tokenSet: lunr.TokenSet.fromArray(present),
      fields: fields,
      pipeline: lunr.Pipeline.load(self.manifest.pipeline)
    });
  };

  /** Every match with lunr's score formula on typed arrays, in lunr's pre-sort order, best first. */
  Engine.prototype._preselect = function (terms, required) {
    var self = this;
    var n = self.manifest.docs;
    var fields = self.manifest.fields;
    var present = terms.filter(function (t) { return self.entries[t]; });
    if (!present.length || (required && present.length < terms.length)) return [];
    var norm = Math.sqrt(present.length);  // |query vector| per field: one unit per term
    var score = new Float64Array(n);
    var hits = new Uint16Array(n);
    var last = new Int32Array(n).fill(-1);
    var seen = [];
    present.forEach(function (t, ti) {
      var e = self.entries[t];
      fields.forEach(function (field, f) {
        var flat = e[2 + f];
        var ref = 0;
        for (var i = 0; i < flat.length; i += 2) {
          ref += flat[i];
          score[ref] += flat[i + 1] / 1000 / norm;
          if (last[ref] !== ti) {
            if (last[ref] === -1) seen.push(ref);
            last[ref] = ti;
            hits[ref]++;
          }
        }
      });
    });
    var need = required ? present.length : 1;
    return seen.filter(function (ref) { return hits[ref] >= need; })
      .map(function (ref) { return { ref: ref, score: score[ref] }; })
      .sort(function (a, b) { return b.score - a.score; });
  };

  /** Sharded search: preselect with the typed-array pass, then let lunr rank the leaders. */
  Engine.prototype._shardQuery = function (terms, presence, prefetch) {
    var self = this;
    var required = presence === lunr.Query.presence.REQUIRED;
    var all = this._preselect(terms, required);
    if (!all.length) return [];
    // The store entries of the first results are needed next: start fetching them now, while
    // lunr ranks (its order of the leaders almost never changes which ones come first).
    all.slice(0, prefetch || 0).forEach(function (r) {
      self._chunk(r.ref).catch(function () {});  // a failure surfaces in docs(), which awaits it
    });
    // Leaders: the first RERANK plus anything within rounding distance of the last of them.
    var cut = Math.min(all.length, this.rerank) - 1;
    var floor = all[cut].score - 1e-9 * Math.max(1, Math.abs(all[cut].score));
    var keep = {};
    var leaders = 0;
    while (leaders < all.length && all[leaders].score >= floor) keep[all[leaders++].ref] = true;
    var ranked = this._subIndex(terms, keep).query(queryFn(terms, presence))
      .map(function (r) { return { ref: +r.ref, score: r.score }; });
    return ranked.concat(all.slice(leaders));
  };

  /** Search *query* → {terms, results: [{ref, score}], relaxed}. All words first; any word if none.
      options.prefetch: how many leading results' store entries to start fetching early (the
      results page passes its page size when no filter is set). */
  Engine.prototype.search = function (query, options) {
    var self = this;
    var prefetch = (options && options.prefetch) || 0;
    var terms = F.queryTerms(query);
    return self.ready().then(function () {
      if (!terms.length || self.index) return null;
      var m = self.manifest;
      var needed = terms.map(function (t) { return shardFor(m.shards, t); });
      return Promise.all(needed.filter(function (n, i) { return needed.indexOf(n) === i; })
        .map(function (n) { return self._loadShard(n); }));
    }).then(function () {
      if (!terms.length) return { terms: terms, results: [], relaxed: false };
      var run = self.index
        ? function (presence) {
          return self.index.query(queryFn(terms, presence))
            .map(function (r) { return { ref: +r.ref, score: r.score }; });
        }
        : function (presence) { return self._shardQuery(terms, presence, prefetch); };
      var results = run(lunr.Query.presence.REQUIRED);
      var relaxed = false;
      if (!results.length && terms.length > 1) {
        results = run(lunr.Query.presence.OPTIONAL);
        relaxed = results.length > 0;
      }
      return { terms: terms, relaxed: relaxed, results: results };
    });
  };

  /** Kind, year, locality and areas of every document (fetched once, only when filtering). */
  Engine.prototype.facets = function () {
    var self = this;
    return self.ready().then(function () {
      if (!self._facets) self._facets = fetchJSON(self.base + "facets.json");
      return self._facets;
    });
  };

  /** The document-store chunk holding *ref* (sharded mode), fetched once. */
  Engine.prototype._chunk = function (ref) {
    var n = Math.floor(ref / this.manifest.chunk);
    if (!this.chunks[n]) this.chunks[n] = fetchJSON(this.base + "docs/" + n + ".json");
    return this.chunks[n];
  };

  /** Store entries of *refs*: [{ref, url, title, kind, date, iso, locality, docNumber, summary, body}]. */
  Engine.prototype.docs = function (refs) {
    var self = this;
    return self.ready().then(function () {
      if (self.store) return refs.map(function (ref) { return self.store[ref]; });
      var size = self.manifest.chunk;
      return Promise.all(refs.map(function (ref) { return self._chunk(ref); })).then(function (chunks) {
        return refs.map(function (ref, i) { return chunks[i][ref % size]; });
      });
    }).then(function (entries) {
      return entries.map(function (e, i) {
        return {
          ref: refs[i], url: e[0], title: e[1], kind: e[2], date: e[3], iso: e[4],
          locality: e[5], docNumber: e[6], summary: e[7], body: e[8]
        };
      });
    });
  };

  /** Keep results whose document passes *filters* {type, area, year, locality} (slugs). */
  Engine.prototype.filter = function (refs, filters) {
    var active = Object.keys(filters).filter(function (k) { return filters[k]; });
    if (!active.length) return Promise.resolve(refs);
    return this.facets().then(function (fc) {
      var kind = filters.type ? fc.kinds.indexOf(filters.type) : null;
      var area = filters.area ? fc.areas.indexOf(filters.area) : null;
      var year = filters.year ? parseInt(filters.year, 10) : null;
      var loc = null;
      if (filters.locality) {
        loc = -2;
        fc.localities.forEach(function (pair, i) { if (pair[0] === filters.locality) loc = i; });
      }
      return refs.filter(function (ref) {
        return (kind === null || fc.k[ref] === kind) &&
          (area === null || (area >= 0 && (fc.a[ref] & (1 << area)) !== 0)) &&
          (year === null || fc.y[ref] === year) &&
          (loc === null || fc.l[ref] === loc);
      });
    });
  };

  /** Every document, in site order (newest first): for filters without a query. */
  Engine.prototype.allRefs = function () {
    var self = this;
    return self.ready().then(function () {
      var refs = [];
      for (var i = 0; i < self.manifest.docs; i++) refs.push(i);
      return refs;
    });
  };

  root.CCHCSearchEngine = Engine;
})(window);
