/* New matter: the slug follows the short title as it is typed (as the server makes it when the slug is left empty:
   lower-case letters, digits and hyphens), until the user types a slug of their own. */
(function () {
  "use strict";
  var title = document.getElementById("id_short_title");
  var slug = document.getElementById("id_slug");
  if (!title || !slug) return;
  var suggested = slug.value === "";

  function slugify(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 70).replace(/-+$/, "");
  }

  title.addEventListener("input", function () {
    if (suggested) slug.value = slugify(title.value);
  });
  slug.addEventListener("input", function () {
    suggested = slug.value === "";  // emptied: the title's suggestion again
  });
})();
