/* The peer step of the credplugin assessment block: calibration, reviews, helpfulness ratings,
 * and the staff's "exclude reviewer" form.
 *
 * As in assessment.js the server renders every region; this script sends the chosen levels and
 * text to the block's handlers, swaps in the region they answer with, announces the message
 * and moves focus to the first problem or to the region's heading.
 */
function CredpluginPeerStep(root, post, announce, problems) {
    'use strict';
    var region = root.querySelector('.cpa-peer');

    function show(data) {
        if (!region || !data || data.html === undefined) { return; }
        region.innerHTML = data.html;
        var heading = region.querySelector('h3');
        if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
    }

    function chosenLevels(form) {
        var levels = {};
        form.querySelectorAll('.cpa-judge').forEach(function (fieldset) {
            var checked = fieldset.querySelector('input[type=radio]:checked');
            if (checked) { levels[fieldset.dataset.criterionId] = checked.value; }
        });
        return levels;
    }

    function bodyOf(form) {
        var handler = form.dataset.handler;
        if (handler === 'peer_calibrate') {
            return {example_id: form.dataset.exampleId, levels: chosenLevels(form)};
        }
        if (handler === 'peer_review') {
            return {
                review_uuid: form.dataset.reviewUuid,
                levels: chosenLevels(form),
                feedback: form.querySelector('.cpa-peer-feedback').value
            };
        }
        return {review_uuid: form.dataset.reviewUuid, helpfulness: form.querySelector('.cpa-peer-helpfulness').value};
    }

    root.addEventListener('submit', function (event) {
        var form = event.target;
        if (form.matches('.cpa-peer-form')) {
            event.preventDefault();
            post(form.dataset.handler, bodyOf(form)).then(function (answer) {
                if (!answer.ok) {
                    announce(answer.data.error, true);
                    // The summary above the button lists every problem, linked, and takes focus.
                    problems.show(form, answer.data.errors, root.dataset.msgJudgeProblems, answer.data.error);
                    return;
                }
                show(answer.data);
                announce(answer.data.message, false);
            });
        } else if (form.matches('.cpa-peer-exclude')) {
            event.preventDefault();
            if (!window.confirm(root.dataset.msgExcludeConfirm)) { return; }
            var reason = form.querySelector('.cpa-peer-reason');
            post('peer_exclude', {review_uuid: form.dataset.reviewUuid, reason: reason.value}).then(function (answer) {
                announce(answer.ok ? answer.data.message : answer.data.error, !answer.ok);
                if (!answer.ok) { reason.setAttribute('aria-invalid', 'true'); reason.focus(); }
            });
        }
    });

    // After the learner submits, the step opens without a reload.
    return {
        refresh: function () {
            var step = region && region.querySelector('.cpa-peer-step');
            if (!step || step.dataset.submitted === '1') { return; }
            post('peer_state', {}).then(function (answer) { if (answer.ok) { show(answer.data); } });
        }
    };
}
