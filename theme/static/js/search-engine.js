/* Search engine over the index cchc_search writes: one file (small sites) or term buckets
   (shards, by a hash of the term; larger sites) holding the same entries, so both rank
   identically. Per term an entry has the documents with their BM25 weight (lunr's, summed over fields at build time), the first
   passage of each document holding the term and, when the text writes the term in more than
   one way, which written forms (tone marks) each document uses.

   Ranking (the same for every index layout): the rules stated in cchc_search/ranking.py
   (phrases, common words, tone marks as typed, nearness, BM25), whose constants are generated
   into CCHCRanking; tests/unit/test_search_rank.py keeps this file equal to that reference.
   Excerpts: the passage holding most query words, fetched on its own (never the whole body);
   with cchc_search's RESULT_FILES a result's store entry comes in the same file.
   No DOM here (the benchmark uses it too). */
(function (root) {
  "use strict";

  var F = root.CCHCFold;
  var R = root.CCHCRanking;  // the rules' constants, generated from cchc_search/ranking.py

  function fetchJSON(url) {
    return root.fetch(url).then(function (res) {
      if (!res.ok) throw new Error(url + ": HTTP " + res.status);
      return res.json();
    });
  }

  /** The shard holding *term*: FNV-1a of its UTF-16 code units modulo the number of shards
      (cchc_search.bucket_of computes the same). */
  function bucketOf(term, buckets) {
    var h = 0x811c9dc5;
    for (var i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), 0x01000193);
    return (h >>> 0) % buckets;
  }

  function Engine(manifestUrl) {
    this.manifestUrl = manifestUrl;
    this.base = manifestUrl.replace(/[^/]*$/, "");
    this.shards = {};   // shard number → Promise
    this.entries = Object.create(null);  // term → entry (no inherited "constructor")
    this.chunks = {};   // chunk number → Promise<[store entry]>
    this.passageFiles = {};  // "chunk-n" → Promise<[text]>
    this.results = {};  // "ref-n" → Promise<store entry with passage n>
    this._ready = null;
    this._facets = null;
  }

  Engine.prototype.ready = function () {
    var self = this;
    if (!self._ready) {
      self._ready = fetchJSON(self.manifestUrl).then(function (m) {
        self.manifest = m;
        if (m.mode !== "single") return null;
        return fetchJSON(self.base + m.file).then(function (data) {
          data.entries.forEach(function (e) { self.entries[e[0]] = e; });
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

  /** Records writing *e*'s term as *surface* (tone marks as typed), or -1 when the index
      does not tell its forms apart (ranking.form_count). */
  function formCount(e, surface) {
    var at = e[4] ? e[4].indexOf(surface) : -1;
    if (at < 0) return -1;
    var bit = 1 << at, count = 0;
    for (var j = 0; j < e[5].length; j++) if (e[5][j] & bit) count++;
    return count;
  }

  /** [is common] per query word (cchc_search/ranking.py: common_words). */
  Engine.prototype.commonWords = function (words) {
    var self = this;
    var n = self.manifest.docs;
    var common = words.map(function (w) {
      var e = self.entries[w.term];
      if (!e || w.surface === "") return false;
      var df = e[1].length;
      if (w.surface !== w.term) {
        var forms = formCount(e, w.surface);
        if (forms >= 0) df = forms;
      }
      return df > n * R.commonShare;
    });
    var counted = words.some(function (w, i) { return self.entries[w.term] && !common[i]; });
    return counted ? common : words.map(function () { return false; });
  };

  /** Every record the query matches, ranked: the rules of cchc_search/ranking.py (rank),
      which states them and is kept equal to this by tests/unit/test_search_rank.py. */
  Engine.prototype.rank = function (words, pairs) {
    var self = this;
    pairs = pairs || [];
    var n = self.manifest.docs;
    var T = words.length;
    var present = words.filter(function (w) { return self.entries[w.term]; });
    if (!present.length) return [];
    var common = self.commonWords(words);
    var live = pairs.filter(function (p) { return self.entries[p.term]; });
    var free = words.map(function (w, i) {
      return common[i] && !live.some(function (p) { return p.a === w.term || p.b === w.term; });
    });
    var counted = 0;
    words.forEach(function (w, i) { if (self.entries[w.term] && !common[i]) counted++; });
    var norm = Math.sqrt(counted);
    var score = new Float64Array(n);
    var hit = new Uint8Array(n);
    var touched = new Uint8Array(n);
    var seen = [];
    // A query that contains a document number: the records carrying every number it names
    // count as full matches whatever the other words (the number's page first, by its weight).
    var numbers = words.filter(function (w) { return w.surface === ""; }).length;
    var numberHits = new Uint8Array(n);
    // The page of a number the query names comes first (cchc_search.page_markers).
    var own = new Uint8Array(n);
    words.forEach(function (w) {
      var marker = w.surface === "" && self.entries[w.term + "_"];
      if (!marker) return;
      for (var i = 0, ref = 0; i < marker[1].length; i++) { ref += marker[1][i]; own[ref] = 1; }
    });
    var exact = new Uint8Array(n);
    var phrase = new Uint8Array(n);
    var needs = new Uint8Array(n);
    var paired = new Uint8Array(n * T);  // the record holds word t inside a pair of the query
    var spot = new Int32Array(n * T).fill(-1);
    var rarity = [];  // 1 / documents holding the term: rare words choose the excerpt
    function touch(ref) {
      if (!touched[ref]) { touched[ref] = 1; seen.push(ref); }
    }
    words.forEach(function (w, ti) {
      var e = self.entries[w.term];
      if (!e) return;
      var deltas = e[1], weights = e[2], firsts = e[3], variants = e[4], masks = e[5];
      rarity[ti] = 1 / deltas.length;
      // Tone marks count only where the query word has them and the text writes it in
      // more than one way.
      var bit = 0;
      if (w.surface && w.surface !== w.term && variants) {
        var at = variants.indexOf(w.surface);
        bit = at >= 0 ? (1 << at) : 0;
      }
      var ref = 0;
      for (var j = 0; j < deltas.length; j++) {
        ref += deltas[j];
        touch(ref);
        spot[ref * T + ti] = firsts[j];
        if (w.surface === "") numberHits[ref]++;
        if (common[ti]) continue;
        hit[ref] = 1;
        score[ref] += weights[j] / 1000 / norm;
        if (bit && (masks[j] & bit)) exact[ref]++;
      }
    });
    var needed = pairs.filter(function (p) { return p.need; }).length;
    live.forEach(function (p) {
      var deltas = self.entries[p.term][1];
      var at = [];
      words.forEach(function (w, ti) { if (w.term === p.a || w.term === p.b) at.push(ti); });
      for (var j = 0, ref = 0; j < deltas.length; j++) {
        ref += deltas[j];
        touch(ref);
        hit[ref] = 1;
        phrase[ref]++;
        if (p.need) needs[ref]++;
        for (var k = 0; k < at.length; k++) paired[ref * T + at[k]] = 1;
      }
    });
    var keys = R.keys;
    return seen.filter(function (ref) { return hit[ref]; }).map(function (ref) {
      var spots = [];
      var lo = Infinity, hi = -Infinity, close = 0, whole = true;
      for (var t = 0; t < T; t++) {
        var p = spot[ref * T + t];
        if (common[t]) {
          if (!free[t] && !paired[ref * T + t]) whole = false;
        } else if (p < 0) {
          whole = false;
        }
        if (p < 0) continue;
        spots.push([p, rarity[t]]);
        if (common[t]) continue;
        close++;
        if (p > 0) { lo = Math.min(lo, p); hi = Math.max(hi, p); }
      }
      return {
        ref: ref, score: score[ref], exact: exact[ref], own: own[ref], phrase: phrase[ref],
        full: (numbers > 0 && numberHits[ref] === numbers) || (whole && needs[ref] === needed),
        near: close > 1 && hi - lo <= 1 ? 1 : 0, spots: spots
      };
    }).sort(function (a, b) {
      for (var k = 0; k < keys.length; k++) {
        var d = b[keys[k]] - a[keys[k]];
        if (d) return d;
      }
      return a.ref - b.ref;
    });
  };

  /** Search *query* → {terms, words, results: [{ref, score, full, …}], full: how many hold every
      word, relaxed: none does but some hold a part}. options.prefetch: how many leading
      results' store entries and excerpts to start fetching at once. */
  /** Edit distance with adjacent swaps (optimal string alignment), or limit + 1 when more
      than *limit*: cchc_search/ranking.py's osa_distance (our own: the runtime ships no
      library code, and the Node test holds this to the Python statement). */
  function osaDistance(a, b, limit) {
    a = Array.from(a);  // code points, as Python counts them
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev2 = null, prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var cur = [i], low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur.push(v);
        if (v < low) low = v;
      }
      if (low > limit) return limit + 1;
      prev2 = prev;
      prev = cur;
    }
    return Math.min(prev[b.length], limit + 1);
  }

  var LETTERS = /^\p{L}{2,}$/u;

  /** The index's words, most frequent first (ranking.vocabulary): vocab.json of a sharded
      site, the single file's own entries otherwise. */
  Engine.prototype.vocab = function () {
    var self = this;
    if (!self._vocab) {
      if (self.store) {
        var words = Object.keys(self.entries).filter(function (t) { return LETTERS.test(t); });
        words.sort(function (a, b) {
          return (self.entries[b][1].length - self.entries[a][1].length) || (a < b ? -1 : a > b ? 1 : 0);
        });
        self._vocab = Promise.resolve(words);
      } else {
        self._vocab = fetchJSON(self.base + "vocab.json");
      }
    }
    return self._vocab;
  };

  /** The CANDIDATES nearest words to *term*: [[distance, rank, word]] (ranking.nearest). */
  function nearest(term, vocab) {
    var limit = Array.from(term).length <= 4 ? 1 : 2;
    var out = [];
    for (var r = 0; r < vocab.length; r++) {
      var d = osaDistance(term, vocab[r], limit);
      if (d <= limit) out.push([d, r, vocab[r]]);
    }
    out.sort(function (x, y) { return (x[0] - y[0]) || (x[1] - y[1]); });
    return out.slice(0, R.candidates);
  }

  function pairOf(p, term, word) {
    return p.a === term ? word + " " + p.b : p.a + " " + word;
  }

  /** Load the buckets holding *terms* (sharded sites). */
  Engine.prototype._load = function (terms) {
    var self = this;
    if (self.store) return Promise.resolve();
    var m = self.manifest;
    var needed = terms.map(function (t) { return bucketOf(t, m.buckets); });
    return Promise.all(needed.filter(function (s, i) { return needed.indexOf(s) === i; })
      .map(function (s) { return self._loadShard(s); }));
  };

  /** The query with its unknown words replaced by the nearest indexed ones (ranking.correct),
      or null. */
  Engine.prototype.correct = function (query, words, pairs) {
    var self = this;
    var unknown = words.filter(function (w) {
      return w.surface !== "" && !self.entries[w.term] && Array.from(w.term).length >= R.minLetters &&
        LETTERS.test(w.term);
    }).map(function (w) { return w.term; });
    if (!unknown.length) return Promise.resolve(null);
    return self.vocab().then(function (vocab) {
      var found = unknown.map(function (term) { return nearest(term, vocab); });
      var more = [];
      unknown.forEach(function (term, i) {
        found[i].forEach(function (c) {
          more.push(c[2]);
          pairs.forEach(function (p) { if (p.a === term || p.b === term) more.push(pairOf(p, term, c[2])); });
        });
      });
      return self._load(more).then(function () {
        var replace = Object.create(null), any = false;
        unknown.forEach(function (term, i) {
          var best = null;
          found[i].forEach(function (c) {
            var made = 0;
            pairs.forEach(function (p) {
              if ((p.a === term || p.b === term) && self.entries[pairOf(p, term, c[2])]) made++;
            });
            var key = [c[0], -made, c[1]];
            if (!best || key[0] < best[0][0] || (key[0] === best[0][0] && (key[1] < best[0][1] ||
                (key[1] === best[0][1] && key[2] < best[0][2])))) best = [key, c[2]];
          });
          // A short unknown word may be a real word the corpus never uses: corrected only
          // into a phrase of the query (ranking.choose).
          if (best && (best[0][1] < 0 || Array.from(term).length >= R.loneLetters)) {
            replace[term] = best[1];
            any = true;
          }
        });
        if (!any) return null;
        return String(query).normalize("NFC").split(/(\s+)/).map(function (part) {
          var t = part.trim() ? F.normaliseTerm(part) : "";
          return t && replace[t] ? replace[t] : part;
        }).join("");
      });
    });
  };

  /** Search *query* → {terms, words, results: [{ref, score, full, …}], full: how many hold every
      word, relaxed: none does but some hold a part, corrected: the query searched instead
      when a word of it is not in the index (typed: the query as typed)}. options.prefetch: how
      many leading results' store entries and excerpts to start fetching at once;
      options.exact: search the words as typed, no correction. */
  Engine.prototype.search = function (query, options) {
    var self = this;
    options = options || {};
    var prefetch = options.prefetch || 0;
    var parsed = F.parseQuery(query);
    var words = parsed.words, pairs = parsed.pairs;
    var terms = words.map(function (w) { return w.term; });
    return self.ready().then(function () {
      if (!words.length) return null;
      var markers = words.filter(function (w) { return w.surface === ""; })
        .map(function (w) { return w.term + "_"; });
      return self._load(terms.concat(markers, pairs.map(function (p) { return p.term; })));
    }).then(function () {
      return options.exact || !words.length ? null : self.correct(query, words, pairs);
    }).then(function (corrected) {
      if (corrected !== null) {
        return self.search(corrected, { prefetch: prefetch, exact: true }).then(function (res) {
          res.corrected = corrected;
          res.typed = String(query);
          return res;
        });
      }
      var results = words.length ? self.rank(words, pairs) : [];
      var full = 0;
      while (full < results.length && results[full].full) full++;
      if (prefetch) self.docs(results.slice(0, prefetch)).catch(function () {});
      return { terms: terms, words: words, pairs: pairs, results: results, full: full,
               relaxed: full === 0 && results.length > 0, corrected: null };
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

  Engine.prototype._chunk = function (ref) {
    var self = this;
    if (self.store) return Promise.resolve(self.store.slice(ref - ref % self.manifest.chunk));
    var n = Math.floor(ref / self.manifest.chunk);
    if (!self.chunks[n]) self.chunks[n] = fetchJSON(self.base + "docs/" + n + ".json");
    return self.chunks[n];
  };

  Engine.prototype._passage = function (ref, p) {
    var c = Math.floor(ref / this.manifest.chunk);
    var key = c + "-" + p;
    if (!this.passageFiles[key]) {
      this.passageFiles[key] = fetchJSON(this.base + "passages/" + key + ".json")
        .catch(function () { return []; });  // past a document's last passage
    }
    return this.passageFiles[key].then(function (rows) {
      return rows[ref % this.manifest.chunk] || "";
    }.bind(this));
  };

  /** The passage to show for a result (not the title): where the query words first occur,
      each weighted by its rarity, the passage with the most weight; the first passage if the
      words are only in the title. */
  function bestPassage(result) {
    var weight = {};
    var best = 1, most = 0;
    (result.spots || []).forEach(function (s) {
      var p = s[0];
      if (p <= 0) return;
      weight[p] = (weight[p] || 0) + s[1];
      if (weight[p] > most || (weight[p] === most && p < best)) { most = weight[p]; best = p; }
    });
    return best;
  }

  /** Store entries and excerpts of *results* (objects from search(), or bare refs):
      [{ref, url, title, kind, date, iso, locality, docNumber, facts, sections, lang, lead,
      passage, excerpt}]. */
  Engine.prototype.docs = function (results) {
    var self = this;
    var items = results.map(function (r) { return typeof r === "number" ? { ref: r } : r; });
    return self.ready().then(function () {
      var size = self.manifest.chunk;
      return Promise.all(items.map(function (r) {
        var p = bestPassage(r);
        if (self.manifest.results) {
          // One file per result passage: the store entry with passage p as its last field.
          return self._result(r.ref, p).then(function (e) { return entry(r, p, e, e[11]); });
        }
        // Passage 1 is in the store entry; deeper ones are fetched on their own.
        return Promise.all([self._chunk(r.ref), p > 1 ? self._passage(r.ref, p) : null]).then(function (got) {
          var e = got[0][r.ref % size];
          return entry(r, p, e, p > 1 ? got[1] : e[11]);
        });
      }));
    });
  };

  function entry(r, p, e, excerpt) {
    return {
      ref: r.ref, url: e[0], title: e[1], kind: e[2], date: e[3], iso: e[4],
      locality: e[5], docNumber: e[6], facts: e[7], sections: e[8] || [], lang: e[9], lead: e[10],
      spots: r.spots || [], passage: p, excerpt: excerpt
    };
  }

  Engine.prototype._result = function (ref, p) {
    var key = ref + "-" + p;
    if (!this.results[key]) this.results[key] = fetchJSON(this.base + "results/" + key + ".json");
    return this.results[key];
  };

  var FACETS = ["type", "area", "year", "locality"];

  /** facet name → test of a record's ref for filter *value* (slugs), from the facets *fc*. */
  function tests(fc, filters) {
    var out = {};
    if (filters.type) {
      var kind = fc.kinds.indexOf(filters.type);
      out.type = function (ref) { return fc.k[ref] === kind; };
    }
    if (filters.area) {
      var area = fc.areas.indexOf(filters.area);
      out.area = function (ref) { return area >= 0 && (fc.a[ref] & (1 << area)) !== 0; };
    }
    if (filters.year) {
      var year = parseInt(filters.year, 10);
      out.year = function (ref) { return fc.y[ref] === year; };
    }
    if (filters.locality) {
      // A locality is a unit's page slug; a document is under each unit of its place then and now.
      var loc = fc.localities.indexOf(filters.locality);
      out.locality = function (ref) { return loc >= 0 && fc.l[ref].indexOf(loc) >= 0; };
    }
    return out;
  }

  /** Keep results whose document passes *filters* {type, area, year, locality} (slugs). */
  Engine.prototype.filter = function (results, filters) {
    var active = Object.keys(filters).filter(function (k) { return filters[k]; });
    if (!active.length) return Promise.resolve(results);
    return this.facets().then(function (fc) {
      var t = tests(fc, filters);
      return results.filter(function (r) {
        return FACETS.every(function (name) { return !t[name] || t[name](r.ref); });
      });
    });
  };

  /** How many of *results* each filter choice would keep, the other active *filters* applied:
      {type: {slug: n}, area: {…}, year: {…}, locality: {…}}, "" counting all of them. */
  Engine.prototype.counts = function (results, filters) {
    return this.facets().then(function (fc) {
      var t = tests(fc, filters);
      var out = {};
      FACETS.forEach(function (name) {
        var counts = out[name] = { "": 0 };
        results.forEach(function (r) {
          var ref = r.ref;
          for (var i = 0; i < FACETS.length; i++) {
            if (FACETS[i] !== name && t[FACETS[i]] && !t[FACETS[i]](ref)) return;
          }
          counts[""]++;
          var keys;
          if (name === "type") keys = [fc.kinds[fc.k[ref]]];
          else if (name === "year") keys = fc.y[ref] ? [String(fc.y[ref])] : [];
          else if (name === "locality") keys = fc.l[ref].map(function (i) { return fc.localities[i]; });
          else keys = fc.areas.filter(function (code, i) { return (fc.a[ref] & (1 << i)) !== 0; });
          keys.forEach(function (k) { counts[k] = (counts[k] || 0) + 1; });
        });
      });
      return out;
    });
  };

  /** *results* newest first (full matches before the others, undated last, then as ranked). */
  Engine.prototype.newest = function (results) {
    return this.facets().then(function (fc) {
      return results.map(function (r, i) { return [r, i]; }).sort(function (x, y) {
        return (y[0].full - x[0].full) || ((fc.d[y[0].ref] || 0) - (fc.d[x[0].ref] || 0)) || (x[1] - y[1]);
      }).map(function (x) { return x[0]; });
    });
  };

  /** Every document, in site order (posts newest first, then documents): filters alone. */
  Engine.prototype.all = function () {
    var self = this;
    return self.ready().then(function () {
      var out = [];
      for (var i = 0; i < self.manifest.docs; i++) out.push({ ref: i, full: true, spots: [] });
      return out;
    });
  };

  Engine.bucketOf = bucketOf;
  Engine.osaDistance = osaDistance;
  root.CCHCSearchEngine = Engine;
})(typeof window !== "undefined" ? window : globalThis);
