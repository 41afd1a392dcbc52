/*
 * The coordinator's dashboard: signs in with the network realm (authorization code with PKCE; the access token is
 * kept in memory only, never in the URL or in storage), then reads the public API (/v1/network/...).
 */
(() => {
  'use strict';
  const TEXT = window.HARBOUR_TEXT;
  const REDIRECT = location.origin + '/dashboard/';
  const state = { lang: null, token: null, idToken: null, config: null, charts: [], stream: null, expires: 0 };

  // --- language -------------------------------------------------------------------------------------------
  state.lang = localStorage.getItem('harbour.lang') || ((navigator.language || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en');
  const t = (key, ...args) => (TEXT[state.lang][key] ?? TEXT.en[key] ?? key).replace(/\{(\d)\}/g, (_, i) => args[i] ?? '');
  const locale = () => state.lang + '-CA';
  const pick = (pair) => (pair ? pair[state.lang === 'fr' ? 1 : 0] : '');
  const provinceName = (code) => code == null ? t('province.unknown') : (pick(TEXT.provinces[code]) || code);
  const kindName = (code) => pick(TEXT.siteKinds[code]) || code;
  const substanceName = (code) => pick(TEXT.substances[code]) || code;
  const num = (v, digits = 0) => v == null ? '—' : new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v);
  const pct = (v) => v == null ? '—' : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(v);
  const monthName = (ym) => new Intl.DateTimeFormat(locale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(ym + '-01T00:00:00Z'));
  const monthShort = (ym) => new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(ym + '-01T00:00:00Z'));
  const dateLong = (d) => new Intl.DateTimeFormat(locale(), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(d + 'T00:00:00Z'));
  const dateTime = (i) => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(i));
  const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const SHARES = new Set(['naloxoneShare', 'emsCalledShare', 'transportedShare', 'debriefedWithin72hShare', 'completeness']);
  const fmt = (measure, v) => SHARES.has(measure) ? pct(v) : measure === 'overdosesPer1000Visits' ? num(v, 2) : num(v);

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.title = t('title');
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('[data-i18n-attr]').forEach((el) => {
      const [attr, key] = el.dataset.i18nAttr.split(':');
      el.setAttribute(attr, t(key));
    });
    if (state.user) document.getElementById('who').textContent = t('signedInAs', state.user);
    const button = document.getElementById('language');
    button.textContent = t('switchTo');
    button.lang = state.lang === 'fr' ? 'en' : 'fr';
  }

  // --- sign-in (authorization code with PKCE) ------------------------------------------------------------
  const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const random = () => b64url(crypto.getRandomValues(new Uint8Array(32)));
  const endpoint = (name) => state.config.issuer + '/protocol/openid-connect/' + name;

  async function signIn() {
    const verifier = random();
    const st = random();
    sessionStorage.setItem('harbour.pkce', JSON.stringify({ verifier, state: st, hash: location.hash || '#/overview' }));
    const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const params = new URLSearchParams({ response_type: 'code', client_id: state.config.clientId, redirect_uri: REDIRECT, scope: 'openid',
      state: st, code_challenge: challenge, code_challenge_method: 'S256', ui_locales: state.lang });
    location.assign(endpoint('auth') + '?' + params);
  }

  async function tokenRequest(body) {
    const response = await fetch(endpoint('token'), { method: 'POST', body: new URLSearchParams(body),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    if (!response.ok) throw new Error('token ' + response.status);
    const tokens = await response.json();
    state.token = tokens.access_token;
    state.idToken = tokens.id_token || state.idToken;
    state.refresh = tokens.refresh_token;
    state.expires = Date.now() + (tokens.expires_in - 30) * 1000;
    const claims = JSON.parse(atob(state.token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    state.user = claims.preferred_username || claims.sub;
    document.getElementById('who').textContent = t('signedInAs', state.user);
    document.getElementById('signout').hidden = false;
  }

  /** Finishes a sign-in when the identity provider sent the browser back with a code; the code leaves the URL at once. */
  async function completeSignIn() {
    const query = new URLSearchParams(location.search);
    const saved = JSON.parse(sessionStorage.getItem('harbour.pkce') || 'null');
    if (!query.has('code') || !saved || query.get('state') !== saved.state) return false;
    sessionStorage.removeItem('harbour.pkce');
    history.replaceState(null, '', REDIRECT + saved.hash);
    await tokenRequest({ grant_type: 'authorization_code', code: query.get('code'), redirect_uri: REDIRECT,
      client_id: state.config.clientId, code_verifier: saved.verifier });
    return true;
  }

  function signOut() {
    const params = new URLSearchParams({ client_id: state.config.clientId, post_logout_redirect_uri: REDIRECT + '?signedout=1' });
    if (state.idToken) params.set('id_token_hint', state.idToken);
    state.token = null;
    location.assign(endpoint('logout') + '?' + params);
  }

  async function api(path) {
    if (state.refresh && Date.now() > state.expires) {
      await tokenRequest({ grant_type: 'refresh_token', refresh_token: state.refresh, client_id: state.config.clientId });
    }
    const response = await fetch(path, { headers: { Authorization: 'Bearer ' + state.token, 'Accept-Language': state.lang } });
    if (response.status === 403) throw new Error(t('forbidden'));
    if (!response.ok) throw new Error(t('error', response.status));
    return response.json();
  }

  // --- pages ----------------------------------------------------------------------------------------------
  const main = document.getElementById('main');
  const ym = (d) => d.toISOString().slice(0, 7);
  function monthsBack(n) {
    const d = new Date();
    return ym(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1)));
  }

  function destroyCharts() {
    state.charts.forEach((c) => c.destroy());
    state.charts = [];
  }

  function chart(canvas, config) {
    if (!window.Chart) return;
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { labels: { color: '#1a1a1a' } } } }, config.options || {});
    state.charts.push(new window.Chart(canvas, config));
  }

  function table(caption, headers, rows, id) {
    return `<div class="table-scroll"><table${id ? ` id="${id}"` : ''}><caption>${esc(caption)}</caption><thead><tr>${headers
      .map((h, i) => `<th scope="col"${i === 0 ? ' class="text"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
      .map((r) => `<tr>${r.map((c, i) => i === 0 ? `<th scope="row" class="text">${c}</th>` : `<td>${c}</td>`).join('')}</tr>`)
      .join('')}</tbody></table></div>`;
  }

  const HEADLINES = ['visits', 'overdoses', 'overdosesPer1000Visits', 'naloxoneShare', 'emsCalledShare', 'deaths',
    'debriefedWithin72hShare', 'completeness', 'drugCheckSamples'];

  // Shares change in percentage points (a relative change of a share misleads); counts and rates change
  // relatively, except from zero, where only the difference means something.
  function change(measure, now, before) {
    if (now == null || before == null) return t('overview.noData');
    if (now === before) return t('overview.noChange');
    const sign = now > before ? '+' : '';
    if (SHARES.has(measure)) return t('overview.points', sign + num((now - before) * 100, 1));
    if (before === 0) return sign + fmt(measure, now - before);
    return sign + new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format((now - before) / before);
  }

  async function overview(filters) {
    const last = monthsBack(1);
    const previous = monthsBack(2);
    const yearAgo = monthsBack(13);
    const headline = await api(`/v1/network/trends?measures=${HEADLINES.join(',')}&by=month&from=${yearAgo}&to=${last}`);
    const byMonth = Object.fromEntries(headline.rows.map((r) => [r.month, r]));
    const cards = HEADLINES.map((m) => {
      const now = byMonth[last]?.[m];
      return `<div class="card" data-measure="${m}" data-value="${now ?? ''}"><h3>${esc(t('m.' + m))}</h3>
        <div class="value">${fmt(m, now)}</div><dl>
        <dt>${esc(t('overview.vsPrevious', monthShort(previous)))}</dt><dd>${change(m, now, byMonth[previous]?.[m])}</dd>
        <dt>${esc(t('overview.vsYear', monthShort(yearAgo)))}</dt><dd>${change(m, now, byMonth[yearAgo]?.[m])}</dd></dl></div>`;
    }).join('');
    const provinces = Object.keys(TEXT.provinces);
    const options = (values, name, selected) => [`<option value="">${esc(t('filter.all'))}</option>`]
      .concat(values.map((v) => `<option value="${v}"${v === selected ? ' selected' : ''}>${esc(name(v))}</option>`)).join('');
    main.innerHTML = `<h1>${esc(t('overview.title'))}</h1>
      <p id="last-month" data-month="${last}">${esc(t('overview.month', monthName(last)))}</p>
      <div class="cards">${cards}</div>
      <h2>${esc(t('overview.trend'))}</h2>
      <div class="filters">
        <label>${esc(t('filter.province'))}<select id="f-province">${options(provinces, provinceName, filters.province)}</select></label>
        <label>${esc(t('filter.siteKind'))}<select id="f-kind">${options(Object.keys(TEXT.siteKinds), kindName, filters.siteKind)}</select></label>
      </div>
      <div id="trend"></div>`;
    const renderTrend = async () => {
      const province = document.getElementById('f-province').value;
      const kind = document.getElementById('f-kind').value;
      const from = monthsBack(24);
      const data = await api(`/v1/network/trends?measures=visits,overdosesPer1000Visits&by=month&from=${from}&to=${last}`
        + (province ? '&province=' + province : '') + (kind ? '&siteKind=' + kind : ''));
      const rows = data.rows;
      const suffix = (province ? ' — ' + provinceName(province) : '') + (kind ? ' — ' + kindName(kind) : '');
      const first = rows[0] || {};
      const end = rows[rows.length - 1] || {};
      destroyCharts();
      document.getElementById('trend').innerHTML = `<figure>
        <figcaption id="trend-caption">${esc(t('overview.trendCaption', monthName(from), monthName(last), suffix))}
          ${esc(t('overview.trendSummary', num(first.visits), monthShort(from), num(end.visits), monthShort(last),
            num(first.overdosesPer1000Visits, 2), num(end.overdosesPer1000Visits, 2)))}</figcaption>
        <div class="chart"><canvas id="trend-chart" role="img" aria-labelledby="trend-caption"></canvas></div></figure>
        ${table(t('overview.trend') + suffix, [t('col.month'), t('m.visits'), t('m.overdosesPer1000Visits')],
          rows.map((r) => [esc(monthName(r.month)), num(r.visits), num(r.overdosesPer1000Visits, 2)]), 'trend-table')}`;
      chart(document.getElementById('trend-chart'), { type: 'line', data: { labels: rows.map((r) => monthShort(r.month)), datasets: [
        { label: t('m.visits'), data: rows.map((r) => r.visits), borderColor: '#0a4f8a', backgroundColor: '#0a4f8a', yAxisID: 'y' },
        { label: t('m.overdosesPer1000Visits'), data: rows.map((r) => r.overdosesPer1000Visits), borderColor: '#b35900',
          backgroundColor: '#b35900', yAxisID: 'y1' }] },
        options: { scales: { y: { position: 'left', ticks: { color: '#1a1a1a' } },
          y1: { position: 'right', grid: { drawOnChartArea: false }, ticks: { color: '#1a1a1a' } }, x: { ticks: { color: '#1a1a1a' } } } } });
    };
    document.getElementById('f-province').addEventListener('change', () => renderTrend().catch(fail));
    document.getElementById('f-kind').addEventListener('change', () => renderTrend().catch(fail));
    await renderTrend();
  }

  async function provinces() {
    const last = monthsBack(1);
    const data = await api(`/v1/network/trends?measures=visits,overdoses,overdosesPer1000Visits,naloxoneShare,deaths,sitesOpen,completeness`
      + `&by=province&from=${last}&to=${last}`);
    const rows = data.rows.filter((r) => r.province != null);
    const rated = rows.filter((r) => r.overdosesPer1000Visits != null).sort((a, b) => b.overdosesPer1000Visits - a.overdosesPer1000Visits);
    const summary = rated.length ? t('provinces.summary', provinceName(rated[0].province), num(rated[0].overdosesPer1000Visits, 2),
      provinceName(rated[rated.length - 1].province), num(rated[rated.length - 1].overdosesPer1000Visits, 2)) : '';
    main.innerHTML = `<h1>${esc(t('provinces.title'))}</h1><figure>
      <figcaption id="prov-caption">${esc(t('provinces.caption', monthName(last)))} ${esc(summary)}</figcaption>
      <div class="chart"><canvas id="prov-chart" role="img" aria-labelledby="prov-caption"></canvas></div></figure>
      ${table(t('provinces.caption', monthName(last)), [t('col.province'), t('m.visits'), t('m.overdoses'), t('m.overdosesPer1000Visits'),
        t('m.naloxoneShare'), t('m.deaths'), t('m.sitesOpen'), t('m.completeness')],
        rows.map((r) => [esc(provinceName(r.province)), num(r.visits), num(r.overdoses), num(r.overdosesPer1000Visits, 2), pct(r.naloxoneShare),
          num(r.deaths), num(r.sitesOpen), pct(r.completeness)]), 'province-table')}`;
    destroyCharts();
    chart(document.getElementById('prov-chart'), { type: 'bar', data: { labels: rows.map((r) => provinceName(r.province)),
      datasets: [{ label: t('m.overdosesPer1000Visits'), data: rows.map((r) => r.overdosesPer1000Visits), backgroundColor: '#0a4f8a' }] },
      options: { scales: { y: { ticks: { color: '#1a1a1a' } }, x: { ticks: { color: '#1a1a1a' } } } } });
  }

  async function coverage() {
    const data = await api('/v1/network/coverage');
    const rows = data.rows;
    const share = (n, d) => d ? n / d : null;
    const total = rows.reduce((s, r) => s + r.sitesOpen, 0);
    const openAll = rows.reduce((s, r) => s + r.openNow.ALL, 0);
    main.innerHTML = `<h1>${esc(t('coverage.title'))}</h1>
      <p>${esc(t('coverage.at', dateTime(data.at)))}</p><figure>
      <figcaption id="cov-caption">${esc(t('coverage.caption'))} ${esc(t('coverage.summary', num(total), num(rows.length), num(openAll)))}</figcaption>
      <div class="chart"><canvas id="cov-chart" role="img" aria-labelledby="cov-caption"></canvas></div></figure>
      ${table(t('coverage.title'), [t('col.province'), t('col.sitesOpen'), t('col.inhalation'), t('col.ftir'), t('col.naloxone'), t('col.women'),
        t('col.trans'), t('col.youth'), t('col.allDay'), t('col.openAll'), t('col.openWomen')],
        rows.map((r) => [esc(provinceName(r.province)), num(r.sitesOpen), num(r.services.SUPERVISED_INHALATION), num(r.services.DRUG_CHECKING_FTIR),
          num(r.services.NALOXONE_DISTRIBUTION), num(r.womenOnlyHours), num(r.transOnlyHours), num(r.youthHours), num(r.open24Hours),
          num(r.openNow.ALL), num(r.openNow.WOMEN)]), 'coverage-table')}`;
    destroyCharts();
    chart(document.getElementById('cov-chart'), { type: 'bar', data: { labels: rows.map((r) => provinceName(r.province)), datasets: [
      { label: t('col.inhalation'), data: rows.map((r) => share(r.services.SUPERVISED_INHALATION, r.sitesOpen)), backgroundColor: '#0a4f8a' },
      { label: t('col.ftir'), data: rows.map((r) => share(r.services.DRUG_CHECKING_FTIR, r.sitesOpen)), backgroundColor: '#b35900' }] },
      options: { scales: { y: { min: 0, max: 1, ticks: { color: '#1a1a1a', callback: (v) => pct(v) } }, x: { ticks: { color: '#1a1a1a' } } } } });
  }

  async function renewals() {
    const data = await api('/v1/network/exemptions?expiringWithinDays=90');
    const orgName = (e) => state.lang === 'fr' ? e.organizationNameFr : e.organizationNameEn;
    main.innerHTML = `<h1>${esc(t('renewals.title'))}</h1><p>${esc(t('renewals.intro'))}</p>` + (data.items.length
      ? table(t('renewals.title'), [t('col.site'), t('col.organization'), t('col.province'), t('col.kind'), t('col.number'), t('col.expires'),
        t('col.daysLeft')], data.items.map((e) => [esc(e.siteName), esc(orgName(e)), esc(provinceName(e.province)), esc(kindName(e.siteKind)),
        esc(e.exemptionNumber), esc(dateLong(e.expiresOn)),
        e.expired ? `<span class="expired">${num(e.daysLeft)} (${esc(t('renewals.expired'))})</span>` : num(e.daysLeft)]), 'renewals-table')
      : `<p>${esc(t('renewals.none'))}</p>`);
  }

  async function alerts() {
    const data = await api('/v1/network/alerts?limit=50');
    const row = (a) => [esc(substanceName(a.substance)), esc(provinceName(a.province)), esc(a.week), num(a.samples), num(a.sites), esc(dateTime(a.lastSeen))];
    main.innerHTML = `<h1>${esc(t('alerts.title'))}</h1><p>${esc(t('alerts.intro'))}</p><p id="live" class="status">${esc(t('alerts.live'))}</p>`
      + table(t('alerts.title'), [t('col.substance'), t('col.province'), t('col.week'), t('col.samples'), t('col.sites'), t('col.lastSeen')],
        data.items.map(row), 'alerts-table') + (data.items.length ? '' : `<p id="no-alerts">${esc(t('alerts.none'))}</p>`);
    follow((a) => {
      const body = document.querySelector('#alerts-table tbody');
      if (!body) return;
      const key = a.substance + '|' + a.province + '|' + a.week;
      body.querySelectorAll('tr').forEach((tr) => { if (tr.dataset.key === key) tr.remove(); });
      const tr = document.createElement('tr');
      tr.dataset.key = key;
      tr.innerHTML = row(a).map((c, i) => i === 0 ? `<th scope="row" class="text">${c}</th>` : `<td>${c}</td>`).join('');
      body.prepend(tr);
      document.getElementById('no-alerts')?.remove();
      document.getElementById('announcer').textContent = t('alerts.new', substanceName(a.substance), provinceName(a.province), a.week);
    });
  }

  /** Server-sent events read through fetch, since EventSource cannot send the bearer token. */
  function follow(onAlert) {
    const controller = new AbortController();
    state.stream = controller;
    (async () => {
      while (!controller.signal.aborted) {
        try {
          const response = await fetch('/v1/network/alerts/stream', { signal: controller.signal,
            headers: { Authorization: 'Bearer ' + state.token, Accept: 'text/event-stream' } });
          const live = document.getElementById('live');
          if (live) live.textContent = t('alerts.live');
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, { stream: true });
            let cut;
            while ((cut = buffer.indexOf('\n\n')) >= 0) {
              const event = buffer.slice(0, cut);
              buffer = buffer.slice(cut + 2);
              const data = event.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('');
              if (data) onAlert(JSON.parse(data));
            }
          }
        } catch (e) {
          if (controller.signal.aborted) return;
        }
        const live = document.getElementById('live');
        if (live) live.textContent = t('alerts.offline');
        await new Promise((r) => setTimeout(r, 3000));
      }
    })();
  }

  const PAGES = { overview, provinces, coverage, renewals, alerts };
  const filters = {};

  function fail(e) {
    main.innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`;
  }

  async function route() {
    if (state.stream) { state.stream.abort(); state.stream = null; }
    const page = (location.hash.match(/^#\/(\w+)/) || [])[1] || 'overview';
    document.querySelectorAll('nav a').forEach((a) => {
      if (a.dataset.page === page) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
    main.innerHTML = `<p class="status" role="status">${esc(t('loading'))}</p>`;
    main.dataset.page = page;
    delete main.dataset.ready;
    try {
      await (PAGES[page] || overview)(filters);
      main.dataset.ready = page;
    } catch (e) {
      fail(e);
    }
  }

  async function start() {
    applyLanguage();
    document.getElementById('language').addEventListener('click', () => {
      state.lang = state.lang === 'fr' ? 'en' : 'fr';
      localStorage.setItem('harbour.lang', state.lang);
      applyLanguage();
      if (state.token) route();
    });
    document.getElementById('signout').addEventListener('click', signOut);
    state.config = await (await fetch('/v1/dashboard/config')).json();
    if (!(await completeSignIn())) {
      if (new URLSearchParams(location.search).has('signedout')) {
        main.innerHTML = `<p role="status">${esc(t('signedOut'))}</p><button type="button" id="signin">${esc(t('signin'))}</button>`;
        document.getElementById('signin').addEventListener('click', () => { history.replaceState(null, '', REDIRECT); signIn(); });
        return;
      }
      return signIn();
    }
    window.addEventListener('hashchange', route);
    route();
  }

  start().catch(fail);
})();
