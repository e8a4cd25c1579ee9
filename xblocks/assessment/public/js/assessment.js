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

    // Resolves {ok, data}; a network failure resolves {ok: false, data: {error: …}}.
    function post(handler, body, isForm) {
        var headers = {'X-CSRFToken': csrfToken(), 'X-Requested-With': 'XMLHttpRequest'};
        if (!isForm) { headers['Content-Type'] = 'application/json'; }
        return fetch(url(handler), {
            method: 'POST', credentials: 'same-origin', headers: headers,
            body: isForm ? body : JSON.stringify(body)
        }).then(function (response) {
            return response.json().then(function (data) { return {ok: response.ok, data: data}; });
        }).catch(function () { return {ok: false, data: {error: root.dataset.msgNetwork}}; });
    }

    // The answer's data, or null after announcing its error.
    function send(handler, body, isForm) {
        return post(handler, body, isForm).then(function (answer) {
            if (!answer.ok) { announce(answer.data.error, true); return null; }
            return answer.data;
        });
    }

    // Every control the learner can still change, by id: what a re-render must not drop.
    function editableControls() {
        return Array.prototype.filter.call(
            learner.querySelectorAll('textarea, input, select'),
            function (control) { return control.id && control.type !== 'file' && !control.readOnly && !control.disabled; }
        );
    }

    function typedValues() {
        var values = {};
        editableControls().forEach(function (control) {
            values[control.id] = (control.type === 'checkbox' || control.type === 'radio') ? control.checked : control.value;
        });
        return values;
    }

    function putBack(values) {
        editableControls().forEach(function (control) {
            if (!Object.prototype.hasOwnProperty.call(values, control.id)) { return; }
            if (control.type === 'checkbox' || control.type === 'radio') { control.checked = values[control.id]; }
            else { control.value = values[control.id]; }
        });
        learner.querySelectorAll('.cpa-text, .cpa-reflection').forEach(countWords);
    }

    // Swap in the server's HTML; whatever the learner typed and may still edit is put back.
    function showLearner(data, focusSelector) {
        if (!data) { return; }
        if (data.html !== undefined) {
            var typed = typedValues();
            learner.innerHTML = data.html;
            putBack(typed);
            learner.dispatchEvent(new CustomEvent('cpa-learner-shown'));
        }
        announce(data.message, false);
        var target = focusSelector && learner.querySelector(focusSelector);
        if (target) { target.setAttribute('tabindex', '-1'); target.focus(); }
    }

    function workForm() { return learner.querySelector('.cpa-work'); }

    function saveState(message, isError) {
        var state = learner.querySelector('.cpa-save-state');
        if (!state) { announce(message, isError); return; }
        state.textContent = message || '';
        state.classList.toggle('cpa-error', !!isError);
    }

    function collectWork() {
        var form = workForm();
        var work = {text: '', links: [], reflection: '', self_assessment: {}};
        if (!form) { return work; }
        var text = form.querySelector('.cpa-text');
        var reflection = form.querySelector('.cpa-reflection');
        if (text) { work.text = text.value; }
        if (reflection) { work.reflection = reflection.value; }
        // Every link field in order, empty ones too, so a problem's position names its field.
        form.querySelectorAll('.cpa-link').forEach(function (input) { work.links.push(input.value.trim()); });
        form.querySelectorAll('.cpa-self-level').forEach(function (select) {
            if (select.value) { work.self_assessment[select.dataset.criterionId] = select.value; }
        });
        return work;
    }

    function countWords(textarea) {
        var form = workForm();
        var counter = form && form.querySelector('.cpa-count[data-for="' + textarea.name + '"]');
        if (counter) {
            var words = textarea.value.trim().split(/\s+/).filter(Boolean).length;
            counter.textContent = String(words);
        }
    }

    // Problems sit beside the field the server names (its data-field).
    var problems = CredpluginProblems(function (scope, field) {
        return scope.querySelector('[data-field="' + field.replace(/(["\\])/g, '\\$1') + '"]');
    });

    // --- saving: a draft always keeps what was typed, a refusal never erases it ---------------

    function saveDraft() {
        saveState(root.dataset.msgSaving, false);
        return post('save_draft', collectWork()).then(function (answer) {
            if (!answer.ok) {
                saveState(root.dataset.msgNotSaved + ' ' + answer.data.error, true);
                return;
            }
            problems.show(learner, answer.data.errors, null, null, 'links.');
            saveState(answer.data.message, false);
        });
    }

    function saveDraftSoon() {
        window.clearTimeout(draftTimer);
        draftTimer = window.setTimeout(function () {
            draftTimer = null;
            saveDraft();
        }, 800);
    }

    // Actions that re-render the region save pending typing first.
    function flushDraft() {
        if (draftTimer === null) { return Promise.resolve(); }
        window.clearTimeout(draftTimer);
        draftTimer = null;
        return saveDraft();
    }

    learner.addEventListener('input', function (event) {
        var target = event.target;
        if (target.matches('.cpa-text, .cpa-reflection')) {
            countWords(target);
            problems.clearField(learner, target.dataset.field);
        }
        if (target.matches('.cpa-text, .cpa-reflection, .cpa-link')) { saveDraftSoon(); }
    });
    // E-mail choices (the learner's and the mentor's) save as soon as they change.
    root.addEventListener('change', function (event) {
        var choice = event.target;
        if (!choice.matches('.cpa-email')) { return; }
        var body = {};
        body[choice.dataset.choice] = choice.checked;
        send('email_preferences', body).then(function (data) {
            if (data) { announce(data.message, false); }
        });
    });

    learner.addEventListener('change', function (event) {
        if (event.target.matches('.cpa-self-level')) {
            problems.clearField(learner, event.target.dataset.field);
            saveDraftSoon();
        }
    });

    learner.addEventListener('submit', function (event) {
        if (!event.target.matches('.cpa-work')) { return; }
        event.preventDefault();
        window.clearTimeout(draftTimer);
        draftTimer = null;
        post('submit_work', collectWork()).then(function (answer) {
            if (!answer.ok) {
                problems.show(learner, answer.data.errors, root.dataset.msgProblems, answer.data.error);
                return;
            }
            showLearner(answer.data, '.cpa-status');
        });
    });

    learner.addEventListener('click', function (event) {
        var jump = event.target.closest('a.cpa-jump');
        if (jump) {
            var form = workForm();
            if (form) {
                event.preventDefault();
                problems.focusable(form.querySelector('[data-field]') || form).focus();
            }
            return;
        }
        var button = event.target.closest('button');
        if (!button) { return; }
        if (button.matches('.cpa-answer')) {
            var fieldset = button.closest('.cpa-scenario');
            var selected = [];
            fieldset.querySelectorAll('input:checked').forEach(function (input) { selected.push(input.value); });
            var scenarioId = fieldset.dataset.scenarioId;
            flushDraft().then(function () {
                return post('answer_scenario', {scenario_id: scenarioId, selected: selected});
            }).then(function (answer) {
                if (!answer.ok) {
                    problems.show(learner, [{field: 'scenario.' + scenarioId, message: answer.data.error}], null, null, 'scenario.');
                    problems.focusable(fieldset).focus();
                    return;
                }
                showLearner(answer.data, '.cpa-scenario[data-scenario-id="' + scenarioId + '"]');
            });
        } else if (button.matches('.cpa-upload')) {
            var input = workForm().querySelector('.cpa-file');
            if (!input.files.length) {
                problems.show(learner, [{field: 'files', message: root.dataset.msgFile}], null, null, 'files');
                input.focus();
                return;
            }
            var body = new FormData();
            body.append('file', input.files[0]);
            flushDraft().then(function () { return post('upload_file', body, true); }).then(function (answer) {
                if (!answer.ok) {
                    problems.show(learner, [{field: 'files', message: answer.data.error}], null, null, 'files');
                    input.focus();
                    return;
                }
                showLearner(answer.data, '.cpa-file-list');
            });
        } else if (button.matches('.cpa-remove-file')) {
            flushDraft().then(function () {
                return send('remove_file', {file_id: button.dataset.fileId});
            }).then(function (data) { showLearner(data, '.cpa-file-list'); });
        }
    });

    var peerStep = CredpluginPeerStep(root, post, announce, problems);
    learner.addEventListener('cpa-learner-shown', function () { peerStep.refresh(); });

    var staff = root.querySelector('.cpa-staff');
    if (!staff) { return; }
    var queue = staff.querySelector('.cpa-queue');
    var reviewPane = staff.querySelector('.cpa-review');
    var filter = staff.querySelector('.cpa-filter');

    function refreshQueue() {
        return send('review_queue', {status: filter.value}).then(function (data) {
            if (data) { queue.innerHTML = data.html; }
        });
    }

    function collectJudgement(form) {
        var levels = {};
        var comments = {};
        form.querySelectorAll('.cpa-judge').forEach(function (fieldset) {
            var checked = fieldset.querySelector('input:checked');
            if (checked) { levels[fieldset.dataset.criterionId] = checked.value; }
            var comment = fieldset.querySelector('.cpa-criterion-comment').value.trim();
            if (comment) { comments[fieldset.dataset.criterionId] = comment; }
        });
        return {levels: levels, comments: comments, feedback: form.querySelector('.cpa-review-feedback').value};
    }

    // The running total and whether the chosen levels would pass, under the submitted rule.
    function preview(form) {
        var out = form.querySelector('.cpa-preview');
        if (!out) { return; }
        var earned = 0;
        var open = 0;
        var allMet = true;
        form.querySelectorAll('.cpa-judge').forEach(function (fieldset) {
            var checked = fieldset.querySelector('input:checked');
            if (!checked) { open += 1; return; }
            earned += Number(checked.dataset.points);
            if (!checked.dataset.meets) { allMet = false; }
        });
        var possible = Number(form.dataset.possible);
        var total = root.dataset.msgTotal.replace('{earned}', String(earned)).replace('{possible}', String(possible));
        var verdict;
        if (open) {
            verdict = root.dataset.msgOpen;
        } else {
            var passes = (!form.dataset.allMet || allMet) && !!form.dataset.scenariosPass &&
                (!possible || 100 * earned / possible >= Number(form.dataset.minPercent));
            verdict = passes ? root.dataset.msgPass : root.dataset.msgFail;
        }
        out.textContent = total + ' ' + verdict;
    }

    function openSubmission(uuid) {
        return send('review_open', {submission_uuid: uuid}).then(function (data) {
            if (!data) { return; }
            reviewPane.innerHTML = data.html;
            var form = reviewPane.querySelector('.cpa-review-form');
            if (form) { preview(form); }
            reviewPane.focus();
        });
    }

    staff.addEventListener('change', function (event) {
        if (event.target === filter) { refreshQueue(); return; }
        var form = event.target.closest('.cpa-review-form');
        if (form && event.target.type === 'radio') {
            problems.clearField(form, event.target.closest('.cpa-judge').dataset.field);
            preview(form);
        }
    });
    staff.addEventListener('click', function (event) {
        var button = event.target.closest('button');
        if (!button) { return; }
        if (button.matches('.cpa-refresh-queue')) {
            refreshQueue();
        } else if (button.matches('.cpa-open')) {
            openSubmission(button.dataset.submissionUuid);
        } else if (button.matches('.cpa-decide')) {
            var form = button.closest('.cpa-review-form');
            var body = collectJudgement(form);
            body.submission_uuid = form.dataset.submissionUuid;
            body.decision = button.dataset.decision;
            post('review_submit', body).then(function (answer) {
                if (!answer.ok) {
                    problems.show(form, answer.data.errors, root.dataset.msgJudgeProblems, answer.data.error);
                    return;
                }
                reviewPane.innerHTML = answer.data.html;
                announce(answer.data.message, false);
                var decided = reviewPane.querySelector('.cpa-decided');
                (decided || reviewPane).focus();
                refreshQueue();
            });
        }
    });
    refreshQueue();
}
