/* Diagram viewer: bpmn-js NavigatedViewer (global BpmnJS from the vendored UMD bundle), no build step.
 *
 * Every element [data-diagram-viewer] holds a JSON config:
 *   {url, done: [ids], current: [ids], overdue: [ids], badges: {id: {open, overdue}}}
 * The page says the same in text; this is an enhancement, so any failure only shows a short message.
 */
(function () {
  'use strict';

  function text(n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  }

  function badgeHtml(counts) {
    var html = '<span class="diagram-badges">';
    if (counts.open) {
      html += '<span class="diagram-badge diagram-badge-open" title="' +
        text(counts.open, 'klacht wacht', 'klachten wachten') + ' in deze taak">' + counts.open + '</span>';
    }
    if (counts.overdue) {
      html += '<span class="diagram-badge diagram-badge-late" title="' +
        text(counts.overdue, 'klacht is', 'klachten zijn') + ' te laat">' + counts.overdue + '</span>';
    }
    return html + '</span>';
  }

  function markDoneFlows(registry, canvas, done, current) {
    // A sequence flow was taken when its source completed and its target completed or is open now.
    var reached = {};
    done.concat(current).forEach(function (id) { reached[id] = true; });
    var doneSet = {};
    done.forEach(function (id) { doneSet[id] = true; });
    registry.filter(function (element) {
      return element.type === 'bpmn:SequenceFlow';
    }).forEach(function (flow) {
      var bo = flow.businessObject;
      if (bo.sourceRef && bo.targetRef && doneSet[bo.sourceRef.id] && reached[bo.targetRef.id]) {
        canvas.addMarker(flow.id, 'done');
      }
    });
  }

  function decorate(viewer, config) {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    var overlays = viewer.get('overlays');
    function mark(ids, marker) {
      (ids || []).forEach(function (id) {
        if (registry.get(id)) {
          canvas.addMarker(id, marker);
        }
      });
    }
    mark(config.done, 'done');
    mark(config.current, 'current');
    mark(config.overdue, 'overdue');
    (config.overdue || []).forEach(function (id) {
      if (registry.get(id)) {
        overlays.add(id, 'flags', {position: {top: 4, right: -6}, scale: {min: 1},
          html: '<span class="diagram-flag">termijn verstreken</span>'});
      }
    });
    if (config.done) {
      markDoneFlows(registry, canvas, config.done, config.current || []);
    }
    Object.keys(config.badges || {}).forEach(function (id) {
      var counts = config.badges[id];
      if (!registry.get(id) || !(counts.open || counts.overdue)) {
        return;
      }
      overlays.add(id, 'badges', {position: {top: -12, right: 14}, scale: {min: 1}, html: badgeHtml(counts)});
    });
  }

  // A whole diagram shrunk to fit a page is too small to read: when a step of the complaint is open and the fitted
  // diagram is smaller than READABLE, show it at full size around that step ("Passend" shows it whole again).
  var READABLE = 0.8;

  function focusCurrent(viewer, config) {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    var element = (config.current || []).map(function (id) { return registry.get(id); }).filter(Boolean)[0];
    if (!element || canvas.zoom() >= READABLE) {
      return;
    }
    var outer = canvas.viewbox().outer;
    var x = element.x + element.width / 2;
    var y = element.y + element.height / 2;
    canvas.viewbox({x: x - outer.width / 2, y: y - outer.height / 2, width: outer.width, height: outer.height});
  }

  function setUp(root) {
    var config = JSON.parse(root.querySelector('.diagram-config').textContent);
    var container = root.querySelector('.diagram-canvas');
    var message = root.querySelector('.diagram-message');
    function fail(why) {
      container.hidden = true;
      root.querySelector('.diagram-toolbar').hidden = true;
      message.textContent = why;
      message.hidden = false;
    }
    root.hidden = false;
    if (typeof window.BpmnJS !== 'function') {
      fail('De diagramweergave is niet beschikbaar (bpmn-js is niet geïnstalleerd: make install).');
      return;
    }
    var viewer = new window.BpmnJS({container: container});
    root.diagramViewer = viewer;
    fetch(config.url, {credentials: 'same-origin', headers: {Accept: 'application/xml'}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.text();
      })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        var canvas = viewer.get('canvas');
        canvas.zoom('fit-viewport', 'auto');
        focusCurrent(viewer, config);
        decorate(viewer, config);
        root.setAttribute('data-ready', 'true');
      })
      .catch(function (err) {
        fail('Het diagram kon niet worden getoond (' + err.message + ').');
      });
    root.querySelectorAll('[data-zoom]').forEach(function (button) {
      button.addEventListener('click', function () {
        var canvas = viewer.get('canvas');
        var how = button.getAttribute('data-zoom');
        if (how === 'fit') {
          canvas.zoom('fit-viewport', 'auto');
        } else {
          var middle = {x: container.clientWidth / 2, y: container.clientHeight / 2};
          canvas.zoom(canvas.zoom() * (how === 'in' ? 1.25 : 0.8), middle);
        }
      });
    });
  }

  function start() {
    document.querySelectorAll('[data-diagram-viewer]').forEach(setUp);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
