/* The diagram modeler: bpmn-js Modeler (global BpmnJS from the vendored UMD bundle) with a side panel of
 * our own for the spiffworkflow:properties this service reads. No build step, no framework.
 *
 * Drafts, checks and deploys go through the JSON API with the session cookie:
 *   POST /api/process-drafts?name=  PUT /api/process-drafts/<id>  GET /api/process-drafts/<id>
 *   POST /api/process-validate      POST /api/process-drafts/<id>/deploy?comment=
 */
(function () {
  'use strict';

  const SPIFF_PROPERTIES = 'spiffworkflow:Properties';
  const SPIFF_PROPERTY = 'spiffworkflow:Property';
  const TYPE_LABELS = {
    'bpmn:UserTask': 'Gebruikerstaak',
    'bpmn:ScriptTask': 'Scripttaak',
    'bpmn:ServiceTask': 'Servicetaak',
    'bpmn:ManualTask': 'Handmatige taak',
    'bpmn:Task': 'Taak',
    'bpmn:SubProcess': 'Subproces',
    'bpmn:CallActivity': 'Aanroep',
    'bpmn:StartEvent': 'Startgebeurtenis',
    'bpmn:EndEvent': 'Eindgebeurtenis',
    'bpmn:BoundaryEvent': 'Grensgebeurtenis',
    'bpmn:IntermediateCatchEvent': 'Tussengebeurtenis (wachten)',
    'bpmn:IntermediateThrowEvent': 'Tussengebeurtenis',
    'bpmn:ExclusiveGateway': 'Exclusieve gateway',
    'bpmn:ParallelGateway': 'Parallelle gateway',
    'bpmn:InclusiveGateway': 'Inclusieve gateway',
    'bpmn:EventBasedGateway': 'Gebeurtenisgateway',
    'bpmn:SequenceFlow': 'Verbinding',
    'bpmn:MessageFlow': 'Berichtverbinding',
    'bpmn:Lane': 'Baan',
    'bpmn:Participant': 'Pool',
    'bpmn:TextAnnotation': 'Notitie',
    'bpmn:Group': 'Groep',
  };
  const GROUPS = [
    ['Taken', (bo) => bo.$instanceOf('bpmn:Activity')],
    ['Gebeurtenissen', (bo) => bo.$instanceOf('bpmn:Event')],
    ['Gateways', (bo) => bo.$instanceOf('bpmn:Gateway')],
    ['Verbindingen', (bo) => bo.$instanceOf('bpmn:SequenceFlow') || bo.$instanceOf('bpmn:MessageFlow')],
    ['Pool en banen', (bo) => bo.$instanceOf('bpmn:Participant') || bo.$instanceOf('bpmn:Lane')],
    ['Overig', () => true],
  ];

  const config = JSON.parse(document.getElementById('modeler-config').textContent);
  const root = document.getElementById('modeler');
  const $ = (id) => document.getElementById(id);
  const form = $('element-form');
  const picker = $('element-picker');
  const problemsEl = $('problems');
  const buttons = [$('save-draft'), $('validate'), $('deploy')];

  let modeler = null;
  let draftId = config.draftId;
  let dirty = false;
  let current = null;
  let problemMarks = [];

  // ------------------------------------------------------------------ small helpers

  function say(id, message, kind) {
    const el = $(id);
    el.textContent = message;
    el.className = 'action-status' + (kind ? ' action-status-' + kind : '');
  }

  function busy(on) {
    buttons.forEach((button) => { button.disabled = on; });
    root.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  const api = window.klachtenApi.request;
  const failure = window.klachtenApi.failure;

  function service(name) {
    return modeler.get(name);
  }

  function typeLabel(element) {
    const bo = element.businessObject;
    if (bo.$instanceOf('bpmn:Event') && timerDefinition(bo)) {
      return 'Timer (' + (TYPE_LABELS[bo.$type] || bo.$type).toLowerCase() + ')';
    }
    return TYPE_LABELS[bo.$type] || bo.$type.replace('bpmn:', '');
  }

  function timerDefinition(bo) {
    return (bo.eventDefinitions || []).find((d) => d.$instanceOf('bpmn:TimerEventDefinition')) || null;
  }

  function kindsOf(element) {
    const bo = element.businessObject;
    const kinds = [];
    if (!bo.$instanceOf('bpmn:Process') && !bo.$instanceOf('bpmn:Collaboration')) {
      kinds.push('named');
    }
    if (bo.$instanceOf('bpmn:UserTask')) {
      kinds.push('user_task');
    }
    if (bo.$instanceOf('bpmn:ScriptTask')) {
      kinds.push('script_task');
    }
    if (bo.$instanceOf('bpmn:Event') && timerDefinition(bo)) {
      kinds.push('timer');
    }
    if (bo.$instanceOf('bpmn:SequenceFlow') && bo.sourceRef && bo.sourceRef.$instanceOf('bpmn:Gateway')) {
      kinds.push('gateway_flow');
    }
    if (bo.$instanceOf('bpmn:Activity') || bo.$instanceOf('bpmn:Event')) {
      kinds.push('flow_node');
    }
    return kinds;
  }

  // ------------------------------------------------------------------ spiffworkflow:properties

  function propertiesOf(bo) {
    const ext = bo.extensionElements;
    return ext ? (ext.get('values') || []).find((v) => v.$instanceOf(SPIFF_PROPERTIES)) || null : null;
  }

  function getProperty(bo, name) {
    const props = propertiesOf(bo);
    const found = props ? (props.get('properties') || []).find((p) => p.name === name) : null;
    return found ? found.value || '' : '';
  }

  function setProperty(element, name, value) {
    const bo = element.businessObject;
    if (getProperty(bo, name) === value) {
      return;
    }
    const moddle = service('moddle');
    const oldExt = bo.extensionElements;
    const oldValues = oldExt ? (oldExt.get('values') || []) : [];
    const oldProps = propertiesOf(bo);
    const list = [];
    let placed = false;
    (oldProps ? oldProps.get('properties') || [] : []).forEach((p) => {
      if (p.name === name) {
        if (value) {
          list.push(moddle.create(SPIFF_PROPERTY, {name, value}));
        }
        placed = true;
      } else {
        list.push(moddle.create(SPIFF_PROPERTY, {name: p.name, value: p.value}));
      }
    });
    if (!placed && value) {
      list.push(moddle.create(SPIFF_PROPERTY, {name, value}));
    }
    const newProps = list.length ? moddle.create(SPIFF_PROPERTIES, {properties: list}) : null;
    list.forEach((p) => { p.$parent = newProps; });
    const values = [];
    let inserted = false;
    oldValues.forEach((v) => {
      if (v === oldProps) {
        if (newProps) {
          values.push(newProps);
        }
        inserted = true;
      } else {
        values.push(v);
      }
    });
    if (!inserted && newProps) {
      values.push(newProps);
    }
    let newExt;
    if (values.length) {
      newExt = moddle.create('bpmn:ExtensionElements', {values});
      newExt.$parent = bo;
      values.forEach((v) => { v.$parent = newExt; });
    }
    service('modeling').updateProperties(element, {extensionElements: newExt});
  }

  // ------------------------------------------------------------------ the side panel

  function ensureOption(select, value) {
    if (value && !Array.from(select.options).some((o) => o.value === value)) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = value + ' (onbekend)';
      select.appendChild(option);
    }
  }

  function fillField(input, element) {
    if (input === document.activeElement) {
      return;  // never overwrite what someone is typing
    }
    const bo = element.businessObject;
    let value = '';
    if (input.dataset.ext) {
      value = getProperty(bo, input.dataset.ext);
    } else {
      switch (input.dataset.prop) {
        case 'name':
          value = bo.name || '';
          break;
        case 'timeDate': {
          const timer = timerDefinition(bo);
          value = timer && timer.timeDate ? timer.timeDate.body || '' : '';
          break;
        }
        case 'condition':
          value = bo.conditionExpression ? bo.conditionExpression.body || '' : '';
          break;
        case 'default':
          input.checked = Boolean(bo.sourceRef && bo.sourceRef.default === bo);
          return;
        case 'script':
          value = bo.script || '';
          break;
        default:
          break;
      }
    }
    if (input.tagName === 'SELECT') {
      ensureOption(input, value);
    }
    input.value = value;
  }

  function fields() {
    return Array.from(form.querySelectorAll('[data-ext], [data-prop]'));
  }

  // A deadline's term as people say it ("6 weken na ontvangst"), read from and written to the timer's expression.
  const TERM = /^end_of\((call_report_extended_until or )?due_date\((received_on|resolved_on), (\d+)\)\)$/;

  function fillTerm(element) {
    const group = form.querySelector('[data-term-group]');
    const timer = timerDefinition(element.businessObject);
    const text = timer && timer.timeDate ? (timer.timeDate.body || '').trim() : '';
    const match = TERM.exec(text);
    group.querySelectorAll('[data-term]').forEach((input) => { input.disabled = !match; });
    $('p-term-free').hidden = Boolean(match) || !text;
    if (!match || group.contains(document.activeElement)) {
      return;
    }
    const days = Number(match[3]);
    const weeks = days % 7 === 0;
    $('p-term-amount').value = String(weeks ? days / 7 : days);
    $('p-term-unit').value = weeks ? 'weken' : 'dagen';
    $('p-term-basis').value = match[2];
  }

  function applyTerm() {
    const timer = timerDefinition(current.businessObject);
    const text = timer && timer.timeDate ? (timer.timeDate.body || '').trim() : '';
    const match = TERM.exec(text);
    const amount = Number($('p-term-amount').value);
    if (!match || !Number.isInteger(amount) || amount < 1) {
      return;
    }
    const days = $('p-term-unit').value === 'weken' ? amount * 7 : amount;
    const input = $('p-timer');
    input.value = 'end_of(' + (match[1] || '') + 'due_date(' + $('p-term-basis').value + ', ' + days + '))';
    applyField(input);
    // A name that states the term ("Ontvangst + 14 dagen") follows it; a name of the modeler's own stays.
    const name = $('p-name');
    if (/^(Ontvangst|Oplossing) \+ \d+ (dagen|weken)$/.test(name.value.trim())) {
      const from = $('p-term-basis').value === 'resolved_on' ? 'Oplossing' : 'Ontvangst';
      name.value = from + ' + ' + amount + ' ' + $('p-term-unit').value;
      applyField(name);
    }
  }

  function visibleFields() {
    return fields().filter((input) => !input.closest('[data-kinds]').hidden);
  }

  function showPanel(element) {
    current = element;
    if (!element) {
      form.hidden = true;
      $('panel-empty').hidden = false;
      picker.value = '';
      return;
    }
    const kinds = kindsOf(element);
    form.querySelectorAll('[data-kinds]').forEach((field) => {
      field.hidden = !field.dataset.kinds.split(' ').some((kind) => kinds.includes(kind));
    });
    $('element-kind').textContent = typeLabel(element) + ' · ' + element.id;
    fields().forEach((input) => fillField(input, element));
    if (kinds.includes('timer')) {
      fillTerm(element);
    }
    form.hidden = false;
    $('panel-empty').hidden = true;
    if (!Array.from(picker.options).some((o) => o.value === element.id)) {
      refreshPicker();
    }
    picker.value = element.id;
  }

  function applyField(input) {
    const element = current;
    if (!element || input.closest('[data-kinds]').hidden) {
      return;
    }
    const bo = element.businessObject;
    const moddle = service('moddle');
    const modeling = service('modeling');
    const raw = input.value;
    const value = raw.trim();
    if (input.dataset.ext) {
      setProperty(element, input.dataset.ext, value);
      return;
    }
    switch (input.dataset.prop) {
      case 'name':
        if ((bo.name || '') !== raw) {
          modeling.updateProperties(element, {name: raw || undefined});
        }
        break;
      case 'timeDate': {
        const timer = timerDefinition(bo);
        const old = timer.timeDate ? timer.timeDate.body || '' : '';
        if (old !== value) {
          modeling.updateModdleProperties(element, timer, {
            timeDate: value ? moddle.create('bpmn:FormalExpression', {body: value}) : undefined,
          });
        }
        break;
      }
      case 'condition': {
        const old = bo.conditionExpression ? bo.conditionExpression.body || '' : '';
        if (old !== value) {
          modeling.updateProperties(element, {
            conditionExpression: value ? moddle.create('bpmn:FormalExpression', {body: value}) : undefined,
          });
        }
        break;
      }
      case 'default': {
        const gateway = service('elementRegistry').get(bo.sourceRef.id);
        const isDefault = gateway.businessObject.default === bo;
        if (input.checked !== isDefault) {
          modeling.updateProperties(gateway, {default: input.checked ? bo : undefined});
        }
        break;
      }
      case 'script': {
        const next = value ? raw : undefined;
        if ((bo.script || undefined) !== next) {
          modeling.updateProperties(element, {script: next});
        }
        break;
      }
      default:
        break;
    }
  }

  function applyAll() {
    if (current) {
      visibleFields().forEach(applyField);
    }
  }

  // ------------------------------------------------------------------ choosing elements

  function pickable() {
    const canvasRoot = service('canvas').getRootElement();
    return service('elementRegistry').filter((element) => element !== canvasRoot && element.type !== 'label' &&
      element.businessObject && element.businessObject.id && !element.businessObject.$instanceOf('bpmn:Process'));
  }

  function optionText(element) {
    const name = (element.businessObject.name || '').replace(/\s+/g, ' ').trim();
    return typeLabel(element) + ': ' + (name || '(zonder naam)') + ' (' + element.id + ')';
  }

  function refreshPicker() {
    const groups = GROUPS.map(() => []);
    pickable().forEach((element) => {
      const index = GROUPS.findIndex(([, test]) => test(element.businessObject));
      groups[index].push(element);
    });
    const keep = picker.options[0];
    picker.textContent = '';
    picker.appendChild(keep);
    groups.forEach((elements, index) => {
      if (!elements.length) {
        return;
      }
      const group = document.createElement('optgroup');
      group.label = GROUPS[index][0];
      elements.map((element) => [optionText(element), element.id])
        .sort((a, b) => a[0].localeCompare(b[0], 'nl'))
        .forEach(([text, id]) => {
          const option = document.createElement('option');
          option.value = id;
          option.textContent = text;
          group.appendChild(option);
        });
      picker.appendChild(group);
    });
    picker.value = current ? current.id : '';
  }

  function centre(element) {
    // Show the element in the middle of the canvas, at a readable size.
    const canvas = service('canvas');
    if (canvas.zoom() < 0.8) {
      canvas.zoom(0.9);
    }
    const points = element.waypoints || [{x: element.x, y: element.y},
      {x: element.x + element.width, y: element.y + element.height}];
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const box = canvas.viewbox();
    canvas.viewbox({
      x: (Math.min(...xs) + Math.max(...xs)) / 2 - box.width / 2,
      y: (Math.min(...ys) + Math.max(...ys)) / 2 - box.height / 2,
      width: box.width,
      height: box.height,
    });
  }

  function selectElement(id, focusPanel) {
    const element = service('elementRegistry').get(id);
    if (!element) {
      return false;
    }
    service('selection').select(element);
    centre(element);
    showPanel(element);
    if (focusPanel) {
      $('panel-heading').focus();
    }
    return true;
  }

  // ------------------------------------------------------------------ problems

  function clearProblemMarks() {
    const canvas = service('canvas');
    const registry = service('elementRegistry');
    problemMarks.forEach((id) => {
      if (registry.get(id)) {
        canvas.removeMarker(id, 'has-problem');
      }
    });
    problemMarks = [];
  }

  function withoutElement(message, id, name) {
    // The messages name their element ("id (name): ..."); the list already says which one it is.
    const prefixes = id ? [id + ' (' + (name || '') + '): ', id + ': '] : [];
    const found = prefixes.find((prefix) => message.startsWith(prefix));
    return found ? message.slice(found.length) : message;
  }

  function showProblems(problems, extra) {
    clearProblemMarks();
    problemsEl.textContent = '';
    const registry = service('elementRegistry');
    const canvas = service('canvas');
    const messages = (extra || []).filter((m) => !problems.some((p) => p.message_nl === m));
    const count = problems.length + messages.length;
    const summary = document.createElement('p');
    if (!count) {
      summary.className = 'problems-ok';
      summary.textContent = 'Geen problemen gevonden: het diagram kan in gebruik worden genomen.';
      problemsEl.appendChild(summary);
      return;
    }
    summary.className = 'problems-summary';
    summary.textContent = count === 1 ? '1 probleem gevonden:' : count + ' problemen gevonden:';
    problemsEl.appendChild(summary);
    const list = document.createElement('ul');
    list.className = 'problem-list';
    problems.forEach((problem) => {
      const item = document.createElement('li');
      const id = problem.element_id;
      const label = (problem.element_name || '(zonder naam)') + ' (' + id + ')';
      if (id && registry.get(id)) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'link-button';
        button.textContent = label;
        button.addEventListener('click', () => selectElement(id, true));
        item.appendChild(button);
        item.appendChild(document.createTextNode(': '));
        canvas.addMarker(id, 'has-problem');
        problemMarks.push(id);
      } else if (id) {
        const strong = document.createElement('strong');
        strong.textContent = label;
        item.appendChild(strong);
        item.appendChild(document.createTextNode(': '));
      }
      item.appendChild(document.createTextNode(withoutElement(problem.message_nl || problem.message_en || problem.code || '',
        id, problem.element_name)));
      list.appendChild(item);
    });
    messages.forEach((message) => {
      const item = document.createElement('li');
      item.textContent = message;
      list.appendChild(item);
    });
    problemsEl.appendChild(list);
  }

  // ------------------------------------------------------------------ save, check, deploy

  function draftName() {
    const input = $('draft-name');
    if (!input.value.trim()) {
      input.value = config.versionNumber ? 'Wijziging van versie ' + config.versionNumber : 'Nieuw diagram';
    }
    return input.value.trim();
  }

  async function currentXml() {
    applyAll();
    const {xml} = await modeler.saveXML({format: true});
    return xml;
  }

  async function save() {
    busy(true);
    say('modeler-status', 'Concept opslaan…');
    try {
      const xml = await currentXml();
      const name = encodeURIComponent(draftName());
      const result = draftId
        ? await api('PUT', '/api/process-drafts/' + encodeURIComponent(draftId) + '?name=' + name, xml)
        : await api('POST', '/api/process-drafts?name=' + name +
          (config.versionNumber ? '&base_version=' + config.versionNumber : ''), xml);
      if (!result.ok) {
        say('modeler-status', 'Het concept is niet opgeslagen: ' + failure(result), 'error');
        return false;
      }
      draftId = String(result.data.id);
      dirty = false;
      window.history.replaceState(null, '', '?draft=' + encodeURIComponent(draftId));
      const source = $('modeler-source');
      source.textContent = 'Concept "' + (result.data.name || draftId) + '".';
      say('modeler-status', 'Concept "' + (result.data.name || draftId) + '" is opgeslagen.', 'ok');
      showProblems(result.data.problems || []);
      return true;
    } finally {
      busy(false);
    }
  }

  async function validate() {
    busy(true);
    say('modeler-status', 'Controleren…');
    try {
      const result = await api('POST', '/api/process-validate', await currentXml());
      if (!result.ok) {
        say('modeler-status', 'Controleren lukte niet: ' + failure(result), 'error');
        return;
      }
      const problems = result.data.problems || [];
      showProblems(problems);
      say('modeler-status', problems.length ? 'Gecontroleerd: zie de problemen hieronder.' : 'Gecontroleerd: geen problemen.',
        problems.length ? 'error' : 'ok');
    } finally {
      busy(false);
    }
  }

  async function deploy() {
    if ((!draftId || dirty) && !(await save())) {
      say('deploy-status', 'Niet in gebruik genomen: het concept kon niet worden opgeslagen.', 'error');
      return;
    }
    busy(true);
    say('deploy-status', 'In gebruik nemen…');
    try {
      const comment = encodeURIComponent($('deploy-comment').value.trim());
      const result = await api('POST', '/api/process-drafts/' + encodeURIComponent(draftId) + '/deploy?comment=' + comment);
      if (result.ok) {
        const status = $('deploy-status');
        status.className = 'action-status action-status-ok';
        status.textContent = 'Versie ' + result.data.number + ' is in gebruik genomen. ';
        const link = document.createElement('a');
        link.href = config.processUrl;
        link.textContent = 'Naar het proces';
        status.appendChild(link);
        return;
      }
      if (result.status === 422 && result.data) {
        showProblems(result.data.problems || [], (result.data.errors || {}).bpmn || []);
        say('deploy-status', 'Niet in gebruik genomen: los eerst de problemen onder "Controle" op.', 'error');
        return;
      }
      say('deploy-status', 'Niet in gebruik genomen: ' + failure(result), 'error');
    } finally {
      busy(false);
    }
  }

  // ------------------------------------------------------------------ start

  function fitBesidePalette() {
    // Fit the diagram, then shrink it towards the right so that the palette covers none of it.
    const canvas = service('canvas');
    canvas.zoom('fit-viewport', 'auto');
    const container = document.getElementById('canvas');
    const palette = container.querySelector('.djs-palette');
    const width = container.clientWidth;
    const reserved = palette ? palette.getBoundingClientRect().right - container.getBoundingClientRect().left + 16 : 0;
    if (reserved > 0 && width > reserved * 2) {
      canvas.zoom(canvas.zoom() * (width - reserved) / width, {x: width, y: container.clientHeight / 2});
    }
  }

  async function load() {
    if (draftId) {
      const result = await api('GET', '/api/process-drafts/' + encodeURIComponent(draftId));
      if (!result.ok) {
        throw new Error('het concept kon niet worden geladen: ' + failure(result));
      }
      $('draft-name').value = result.data.name || '';
      $('modeler-source').textContent = 'Concept "' + (result.data.name || draftId) + '".';
      await modeler.importXML(result.data.bpmn);
      showProblems(result.data.problems || []);
    } else if (config.diagramUrl) {
      const response = await fetch(config.diagramUrl, {credentials: 'same-origin'});
      if (!response.ok) {
        throw new Error('het diagram kon niet worden geladen (status ' + response.status + ')');
      }
      await modeler.importXML(await response.text());
    } else {
      await modeler.createDiagram();
    }
  }

  function wire() {
    const eventBus = service('eventBus');
    eventBus.on('selection.changed', (event) => {
      const selected = event.newSelection.length === 1 ? event.newSelection[0] : null;
      showPanel(selected && selected.type === 'label' ? selected.labelTarget : selected);
    });
    let pending = null;
    eventBus.on('elements.changed', (event) => {
      if (current && event.elements.some((e) => e === current || e.labelTarget === current)) {
        if (service('elementRegistry').get(current.id)) {
          fields().forEach((input) => fillField(input, current));
          if (kindsOf(current).includes('timer')) {
            fillTerm(current);
          }
          $('element-kind').textContent = typeLabel(current) + ' · ' + current.id;
        } else {
          showPanel(null);
        }
      }
      window.clearTimeout(pending);
      pending = window.setTimeout(refreshPicker, 150);
    });
    eventBus.on('commandStack.changed', () => {
      dirty = true;
      say('modeler-status', 'Er zijn wijzigingen die nog niet zijn opgeslagen.');
    });
    fields().forEach((input) => {
      input.addEventListener('change', () => applyField(input));
      if (input.tagName === 'INPUT' && input.type === 'text') {
        input.addEventListener('keydown', (event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            applyField(input);
          }
        });
      }
    });
    form.querySelectorAll('[data-term]').forEach((input) => {
      input.addEventListener('change', () => { if (current) { applyTerm(); } });
    });
    form.addEventListener('submit', (event) => event.preventDefault());
    picker.addEventListener('change', () => {
      if (picker.value) {
        selectElement(picker.value, false);
      } else {
        service('selection').select(null);
      }
    });
    $('save-draft').addEventListener('click', () => { save(); });
    $('validate').addEventListener('click', () => { validate(); });
    $('deploy').addEventListener('click', () => { deploy(); });
    window.addEventListener('beforeunload', (event) => {
      if (dirty) {
        event.preventDefault();
        event.returnValue = '';
      }
    });
  }

  async function start() {
    root.hidden = false;
    if (typeof window.BpmnJS !== 'function') {
      say('modeler-status', 'De modeler is niet beschikbaar: bpmn-js is niet geïnstalleerd (make install).', 'error');
      busy(true);
      return;
    }
    try {
      const descriptor = await (await fetch(config.moddleUrl, {credentials: 'same-origin'})).json();
      modeler = new window.BpmnJS({container: '#canvas', moddleExtensions: {spiffworkflow: descriptor}});
      await load();
      fitBesidePalette();
      draftName();
      wire();
      refreshPicker();
      dirty = false;
      root.setAttribute('data-ready', 'true');
      window.klachtenModeler = modeler;  // for the browser tests and the curious
    } catch (err) {
      say('modeler-status', 'De modeler kon niet starten: ' + err.message, 'error');
      busy(true);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
