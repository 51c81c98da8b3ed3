// Registrations (locale, widget, preview, save hook) come first; cms-init.js then starts Decap.
window.CMS_MANUAL_INIT = true;
