/* The learner's and the mentor's side of the credplugin assessment block.
 *
 * The server renders every region (escaped Django templates); this script only sends the
 * learner's or mentor's input to the block's JSON handlers, swaps in the HTML they answer with,
 * announces the result in the aria-live region and moves focus where the reader needs it.
 */
function CredpluginAssessmentBlock(runtime, element) {
    'use strict';
    var host = element.jquery ? element[0] : element;
    var root = host.classList.contains('cpa') ? host : host.querySelector('.cpa');
    var live = root.querySelector('.cpa-live');
    var learner = root.querySelector('.cpa-learner');
    var draftTimer = null;

    var urls = JSON.parse(root.dataset.urls);

    function url(name) { return urls[name]; }

    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : '';
    }

    function announce(message, isError) {
        live.textContent = message || '';
        live.classList.toggle('cpa-error', !!isError);
    }

    function send(handler, body, isForm) {
        var headers = {'X-CSRFToken': csrfToken(), 'X-Requested-With': 'XMLHttpRequest'};
        if (!isForm) { headers['Content-Type'] = 'application/json'; }
        return fetch(url(handler), {
            method: 'POST', credentials: 'same-origin', headers: headers,
            body: isForm ? body : JSON.stringify(body)
        }).then(function (response) {
            return response.json().then(function (data) { return {ok: response.ok, data: data}; });
        }).then(function (answer) {
            if (!answer.ok) { announce(answer.data.error, true); return null; }
            return answer.data;
        }).catch(function () { announce(root.dataset.msgNetwork, true); return null; });
    }

    function showLearner(data, focusSelector) {
        if (!data) { return; }
        if (data.html !== undefined) { learner.innerHTML = data.html; }
        announce(data.message, false);
        var target = focusSelector && learner.querySelector(focusSelector);
        if (target) { target.setAttribute('tabindex', '-1'); target.focus(); }
    }

    function workForm() { return learner.querySelector('.cpa-work'); }

    function collectWork() {
        var form = workForm();
        var work = {text: '', links: [], reflection: '', self_assessment: {}};
        if (!form) { return work; }
        var text = form.querySelector('.cpa-text');
        var reflection = form.querySelector('.cpa-reflection');
        if (text) { work.text = text.value; }
        if (reflection) { work.reflection = reflection.value; }
        form.querySelectorAll('.cpa-link').forEach(function (input) {
            if (input.value.trim()) { work.links.push(input.value.trim()); }
        });
        form.querySelectorAll('.cpa-self-level').forEach(function (select) {
            if (select.value) { work.self_assessment[select.dataset.criterionId] = select.value; }
        });
        return work;
    }

    function countWords(textarea) {
        var counter = workForm().querySelector('.cpa-count[data-for="' + textarea.name + '"]');
        if (counter) {
            var words = textarea.value.trim().split(/\s+/).filter(Boolean).length;
            counter.textContent = String(words);
        }
    }

    function saveDraftSoon() {
        window.clearTimeout(draftTimer);
        draftTimer = window.setTimeout(function () {
            draftTimer = null;
            announce(root.dataset.msgSaving, false);
            send('save_draft', collectWork()).then(function (data) { if (data) { announce(data.message); } });
        }, 800);
    }

    // Actions that re-render the region save pending typing first, so nothing typed is lost.
    function flushDraft() {
        if (draftTimer === null) { return Promise.resolve(); }
        window.clearTimeout(draftTimer);
        draftTimer = null;
        return send('save_draft', collectWork());
    }

    learner.addEventListener('input', function (event) {
        var target = event.target;
        if (target.matches('.cpa-text, .cpa-reflection')) { countWords(target); }
        if (target.matches('.cpa-text, .cpa-reflection, .cpa-link')) { saveDraftSoon(); }
    });
    learner.addEventListener('change', function (event) {
        if (event.target.matches('.cpa-self-level')) { saveDraftSoon(); }
    });

    learner.addEventListener('submit', function (event) {
        if (!event.target.matches('.cpa-work')) { return; }
        event.preventDefault();
        window.clearTimeout(draftTimer);
        draftTimer = null;
        send('submit_work', collectWork()).then(function (data) { showLearner(data, '.cpa-status'); });
    });

    learner.addEventListener('click', function (event) {
        var button = event.target.closest('button');
        if (!button) { return; }
        if (button.matches('.cpa-answer')) {
            var fieldset = button.closest('.cpa-scenario');
            var selected = [];
            fieldset.querySelectorAll('input:checked').forEach(function (input) { selected.push(input.value); });
            var scenarioId = fieldset.dataset.scenarioId;
            flushDraft().then(function () {
                return send('answer_scenario', {scenario_id: scenarioId, selected: selected});
            }).then(function (data) {
                showLearner(data, '.cpa-scenario[data-scenario-id="' + scenarioId + '"]');
            });
        } else if (button.matches('.cpa-upload')) {
            var input = workForm().querySelector('.cpa-file');
            if (!input.files.length) { announce(root.dataset.msgFile, true); input.focus(); return; }
            var body = new FormData();
            body.append('file', input.files[0]);
            flushDraft().then(function () { return send('upload_file', body, true); }).then(function (data) {
                showLearner(data, '.cpa-file-list');
            });
        } else if (button.matches('.cpa-remove-file')) {
            flushDraft().then(function () {
                return send('remove_file', {file_id: button.dataset.fileId});
            }).then(function (data) { showLearner(data, '.cpa-file-list'); });
        }
    });

    var staff = root.querySelector('.cpa-staff');
    if (!staff) { return; }
    var queue = staff.querySelector('.cpa-queue');
    var reviewPane = staff.querySelector('.cpa-review');
    var filter = staff.querySelector('.cpa-filter');

    function refreshQueue() {
        send('review_queue', {status: filter.value}).then(function (data) {
            if (data) { queue.innerHTML = data.html; }
        });
    }

    function collectJudgement(form) {
        var levels = {};
        form.querySelectorAll('.cpa-judge').forEach(function (fieldset) {
            var checked = fieldset.querySelector('input:checked');
            if (checked) { levels[fieldset.dataset.criterionId] = checked.value; }
        });
        return {levels: levels, feedback: form.querySelector('.cpa-review-feedback').value};
    }

    staff.addEventListener('change', function (event) {
        if (event.target === filter) { refreshQueue(); }
    });
    staff.addEventListener('click', function (event) {
        var button = event.target.closest('button');
        if (!button) { return; }
        if (button.matches('.cpa-refresh-queue')) {
            refreshQueue();
        } else if (button.matches('.cpa-open')) {
            send('review_open', {submission_uuid: button.dataset.submissionUuid}).then(function (data) {
                if (!data) { return; }
                reviewPane.innerHTML = data.html;
                reviewPane.focus();
            });
        } else if (button.matches('.cpa-decide')) {
            var form = button.closest('.cpa-review-form');
            var body = collectJudgement(form);
            body.submission_uuid = form.dataset.submissionUuid;
            body.decision = button.dataset.decision;
            send('review_submit', body).then(function (data) {
                if (!data) { return; }
                reviewPane.innerHTML = data.html;
                announce(data.message, false);
                reviewPane.focus();
                refreshQueue();
            });
        }
    });
    refreshQueue();
}
