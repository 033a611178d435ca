/* The process page: compare versions, redeploy an older one, list drafts, preview and run the migration.
 * Everything goes through the JSON API with the session cookie; the page's tables work without this.
 */
(function () {
  'use strict';

  const KIND_LABELS = {
    user_task: 'gebruikerstaak', script_task: 'scripttaak', gateway: 'gateway', timer_event: 'timer',
    message_event: 'berichtgebeurtenis', event: 'gebeurtenis', task: 'taak', subprocess: 'subproces',
    sequence_flow: 'verbinding', flow: 'verbinding',
  };

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  const api = window.klachtenApi.request;
  const failure = window.klachtenApi.failure;

  function when(value) {
    if (!value) {
      return '';
    }
    const moment = new Date(value);
    if (Number.isNaN(moment.getTime())) {
      return String(value);
    }
    return moment.toLocaleString('nl-NL', {timeZone: 'Europe/Amsterdam', dateStyle: 'long', timeStyle: 'short'});
  }

  function say(node, message, kind) {
    node.textContent = message;
    node.className = 'action-status' + (kind ? ' action-status-' + kind : '');
  }

  // ------------------------------------------------------------------ redeploy

  function wireRedeploy() {
    const status = document.getElementById('redeploy-status');
    document.querySelectorAll('.redeploy-form').forEach((form) => {
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const number = form.dataset.version;
        const comment = form.querySelector('[name=comment]').value.trim();
        form.querySelector('button').disabled = true;
        say(status, 'Versie ' + number + ' opnieuw in gebruik nemen…');
        const result = await api('POST', '/api/process-versions/' + encodeURIComponent(number) +
          '/redeploy?comment=' + encodeURIComponent(comment));
        form.querySelector('button').disabled = false;
        if (result.ok) {
          say(status, 'Versie ' + number + ' is opnieuw in gebruik genomen als versie ' + result.data.number +
            '. De pagina wordt bijgewerkt…', 'ok');
          window.setTimeout(() => window.location.reload(), 800);
        } else {
          say(status, 'Niet gelukt: ' + failure(result), 'error');
        }
      });
    });
  }

  // ------------------------------------------------------------------ diff

  function diffList(title, items, describe) {
    const section = el('div', null, 'diff-group');
    section.appendChild(el('h3', title + ' (' + items.length + ')'));
    if (!items.length) {
      section.appendChild(el('p', 'geen', 'empty'));
      return section;
    }
    const list = el('ul', null, 'plain');
    items.forEach((item) => {
      const li = el('li');
      li.appendChild(el('strong', item.name || '(zonder naam)'));
      li.appendChild(document.createTextNode(' (' + (KIND_LABELS[item.kind] || item.kind || 'element') + ', ' +
        item.id + ')'));
      describe(li, item);
      list.appendChild(li);
    });
    section.appendChild(list);
    return section;
  }

  function wireDiff() {
    const form = document.getElementById('diff-form');
    if (!form) {
      return;
    }
    const target = document.getElementById('diff-result');
    const changeLabels = JSON.parse(target.dataset.changeLabels || '{}');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const from = form.elements.from.value;
      const to = form.elements.to.value;
      target.textContent = '';
      if (from === to) {
        target.appendChild(el('p', 'Kies twee verschillende versies.', 'empty'));
        return;
      }
      target.appendChild(el('p', 'Vergelijken…', 'muted'));
      const result = await api('GET', '/api/process-versions/diff?from=' + encodeURIComponent(from) +
        '&to=' + encodeURIComponent(to));
      target.textContent = '';
      if (!result.ok) {
        target.appendChild(el('p', 'Vergelijken is nu niet mogelijk: ' + failure(result), 'action-status-error'));
        return;
      }
      const diff = result.data;
      target.appendChild(el('h3', 'Van versie ' + from + ' naar versie ' + to, 'visually-hidden'));
      const total = (diff.added || []).length + (diff.removed || []).length + (diff.changed || []).length;
      if (!total) {
        target.appendChild(el('p', 'Geen verschillen in de elementen van het proces.', 'empty'));
        return;
      }
      const wrap = el('div', null, 'diff');
      wrap.appendChild(diffList('Toegevoegd', diff.added || [], () => {}));
      wrap.appendChild(diffList('Verwijderd', diff.removed || [], () => {}));
      wrap.appendChild(diffList('Gewijzigd', diff.changed || [], (li, item) => {
        if (item.changes && item.changes.length) {
          const changes = el('ul');
          item.changes.forEach((change) => {
            const value = (item.values || {})[change];
            const label = changeLabels[change] || change;
            const shown = (text) => (text === null || text === undefined || text === '' ? '(leeg)' : '"' + text + '"');
            changes.appendChild(el('li', value ? label + ': ' + shown(value.old) + ' → ' + shown(value.new) : label));
          });
          li.appendChild(changes);
        }
      }));
      target.appendChild(wrap);
    });
    if (new URLSearchParams(window.location.search).has('from')) {
      form.requestSubmit();
    }
  }

  // ------------------------------------------------------------------ drafts

  async function loadDrafts() {
    const target = document.getElementById('drafts');
    if (!target) {
      return;
    }
    const result = await api('GET', target.dataset.url);
    target.textContent = '';
    if (!result.ok) {
      target.appendChild(el('p', 'De concepten konden niet worden geladen: ' + failure(result), 'action-status-error'));
      return;
    }
    if (!result.data.length) {
      target.appendChild(el('p', 'Er zijn geen concepten.', 'empty'));
      return;
    }
    const list = el('ul', null, 'plain drafts');
    result.data.forEach((draft) => {
      const li = el('li');
      const link = el('a', draft.name || ('Concept ' + draft.id));
      link.href = '/proces/modeler?draft=' + encodeURIComponent(draft.id);
      li.appendChild(link);
      li.appendChild(el('span', ' bijgewerkt ' + when(draft.updated_at) +
        (draft.updated_by ? ' door ' + draft.updated_by : ''), 'muted'));
      list.appendChild(li);
    });
    target.appendChild(list);
  }

  // ------------------------------------------------------------------ migration

  function migrationLine(item) {
    // {complaint_id, reference, from_version, safe, reasons, (migrated)}
    const li = el('li');
    const link = el('a', item.reference || ('klacht ' + item.complaint_id));
    link.href = '/klachten/' + encodeURIComponent(item.complaint_id);
    li.appendChild(link);
    li.appendChild(document.createTextNode(' (nu versie ' + item.from_version + ') '));
    if (item.migrated) {
      li.appendChild(el('span', 'gemigreerd', 'badge badge-ok'));
    } else if (item.safe) {
      li.appendChild(el('span', 'kan over', 'badge badge-ok'));
    } else {
      li.appendChild(el('span', 'blijft op versie ' + item.from_version, 'badge badge-late'));
    }
    if (item.reasons && item.reasons.length) {
      const list = el('ul');
      item.reasons.forEach((reason) => list.appendChild(el('li', reason)));
      li.appendChild(list);
    }
    return li;
  }

  async function loadMigration() {
    const target = document.getElementById('migration');
    if (!target) {
      return;
    }
    const button = document.getElementById('migrate');
    const status = document.getElementById('migration-status');
    const result = await api('GET', target.dataset.url);
    target.textContent = '';
    button.hidden = true;
    if (!result.ok) {
      target.appendChild(el('p', 'Het overzicht is nu niet beschikbaar: ' + failure(result), 'action-status-error'));
      return;
    }
    const items = result.data || [];
    if (!items.length) {
      target.appendChild(el('p', 'Er lopen geen klachten op een oudere versie.', 'empty'));
      return;
    }
    const safe = items.filter((item) => item.safe).length;
    target.appendChild(el('p', safe + ' van ' + items.length + ' lopende klachten op een oudere versie kunnen over.'));
    const list = el('ul', null, 'plain migration');
    items.forEach((item) => list.appendChild(migrationLine(item)));
    target.appendChild(list);
    button.hidden = safe === 0;
    button.onclick = async () => {
      button.disabled = true;
      say(status, 'Migreren…');
      const done = await api('POST', target.dataset.url);
      button.disabled = false;
      if (done.ok) {
        const moved = (done.data || []).filter((item) => item.migrated).length;
        say(status, 'Migratie uitgevoerd: ' + moved + (moved === 1 ? ' klacht' : ' klachten') + ' gemigreerd.', 'ok');
        await loadMigration();
        status.textContent = 'Migratie uitgevoerd: ' + moved + (moved === 1 ? ' klacht' : ' klachten') + ' gemigreerd.';
      } else {
        say(status, 'Migreren is niet gelukt: ' + failure(done), 'error');
      }
    };
  }

  function start() {
    document.querySelectorAll('[data-needs-js]').forEach((node) => { node.hidden = false; });
    wireRedeploy();
    wireDiff();
    loadDrafts();
    loadMigration();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
