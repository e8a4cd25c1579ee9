/* The badge image an author uploads instead of the generated artwork. The file goes to the
 * upload_artwork handler at once (it is checked and redrawn there); the id it answers is kept
 * on the fieldset and saved with the badge on Save. A refused file is named beside the field.
 * CredpluginBadgeArtwork(box, url, csrfToken, refused(errors, error)) returns {show}.
 */
function CredpluginBadgeArtwork(box, url, csrfToken, refused) {
    'use strict';
    var state = box.querySelector('.cpa-artwork-state');
    var file = box.querySelector('input[type="file"]');
    var remove = box.querySelector('.cpa-artwork-remove');

    function show(artwork, message) {
        box.dataset.artwork = artwork || '';
        remove.hidden = !artwork;
        state.textContent = message || (artwork ? box.dataset.msgCustom : box.dataset.msgGenerated);
        box.dispatchEvent(new CustomEvent('cpa-artwork-changed'));
    }

    box.querySelector('.cpa-artwork-upload').addEventListener('click', function () {
        var body = new FormData();
        if (file.files.length) { body.append('file', file.files[0]); }
        fetch(url, {method: 'POST', credentials: 'same-origin', headers: {'X-CSRFToken': csrfToken()}, body: body})
            .then(function (response) {
                return response.json().then(function (data) { return {ok: response.ok, data: data}; });
            })
            .then(function (answer) {
                if (!answer.ok) {
                    refused(answer.data.errors || [{field: 'badge.artwork', message: answer.data.error}], answer.data.error);
                    file.focus();
                    return;
                }
                show(answer.data.artwork, box.dataset.msgUploaded);
            });
    });
    remove.addEventListener('click', function () {
        show('');
        file.focus();
    });
    return {show: show};
}
