/* The JSON API as the pages call it: one request helper and one Dutch failure text, shared by the scripts. */
(function () {
  'use strict';

  /* Send a request with the session cookie; answer {ok, status, data} and never throw. */
  async function request(method, url, body) {
    const options = {method, credentials: 'same-origin', headers: {Accept: 'application/json'}};
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/xml';
      options.body = body;
    }
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      return {ok: false, status: 0, data: null};
    }
    let data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = null;
    }
    return {ok: response.ok, status: response.status, data};
  }

  /* Describe a failed request in Dutch. */
  function failure(result) {
    if (result.status === 0) {
      return 'de server is niet bereikbaar.';
    }
    const message = result.data && result.data.error ? result.data.error : 'onverwacht antwoord';
    return message + ' (status ' + result.status + ')';
  }

  window.klachtenApi = {request, failure};
}());
