//! Themes on Tera 2: a mistake in a template is an error with its file, line and column and
//! the includes it was reached through; a Tera 1 habit names its Tera 2 replacement; the
//! default theme's components can be replaced by a site.

use super::util::*;

fn page_template(main: &str) -> String {
    format!("{{% extends \"base.html\" %}}\n{{% block main %}}\n{main}\n{{% endblock main %}}\n")
}

#[test]
fn an_unknown_field_is_an_error_at_its_line_and_column_with_the_include_chain() {
    let site = one_report_site()
        .file(
            "templates/page.html",
            &page_template("<h1>{{ page.title }}</h1>\n{% include \"partials/byline.html\" %}"),
        )
        .file(
            "templates/partials/byline.html",
            "<p class=\"byline\">\n  {{ page.writer }}\n</p>\n",
        );
    let run = site.build_fails();
    run.assert_stderr_has("templates/partials/byline.html:2:")
        .assert_stderr_has("writer")
        .assert_stderr_has("templates/page.html");
    // The column is the field's, as Tera 2 reports it (1-based).
    let col = run
        .stderr
        .split("templates/partials/byline.html:2:")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|c| c.parse::<usize>().ok());
    assert!(
        matches!(col, Some(c) if (4..=14).contains(&c)),
        "no column for the field:\n{}",
        run.stderr
    );
    // The line itself is quoted under the message.
    run.assert_stderr_has("{{ page.writer }}");
    assert!(!site.output().dir.exists(), "a failed build wrote output/");
}

#[test]
fn a_render_error_reached_through_a_component_says_where_it_was_called() {
    // Components are global: any template file may define one.
    let site = one_report_site()
        .file(
            "templates/partials/byline.html",
            "{% component byline(p: map) %}<p>{{ p.no_such_key }}</p>{% endcomponent byline %}\n",
        )
        .file(
            "templates/page.html",
            &page_template("<h1>{{ page.title }}</h1>\n{{<byline p={page} />}}"),
        );
    site.build_fails()
        .assert_stderr_has("templates/partials/byline.html:1:")
        .assert_stderr_has("no_such_key")
        .assert_stderr_has("templates/page.html");
}

#[test]
fn tera_1_filters_name_their_tera_2_replacement() {
    for (old, new) in [
        ("{{ page.title | linebreaksbr }}", "newlines_to_br"),
        (
            "{{ page.title | trim_end_matches(pat=\"x\") }}",
            "trim_end(pat=",
        ),
        ("{{ page.title | as_str }}", "str"),
    ] {
        let site = one_report_site().file("templates/page.html", &page_template(old));
        let run = site.herald("zh", &["build", "--root", site.root_str()]);
        assert!(!run.ok(), "{old} built");
        run.assert_points_at("templates/page.html", 3)
            .assert_stderr_has(new)
            .assert_stderr_has("docs/upgrading.md");
    }
}

#[test]
fn a_tera_1_macro_is_an_error_that_points_to_components() {
    let site = one_report_site().file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n{% block main %}{{ m::date(d=page.date) }}{% endblock main %}\n",
    );
    let run = site.build_fails();
    run.assert_points_into("templates/page.html")
        .assert_stderr_has("component");
}

#[test]
fn every_unknown_name_in_a_template_set_is_listed_at_once() {
    let site = one_report_site()
        .file(
            "templates/page.html",
            &page_template("{{ page.title | linebreaksbr }}\n{{ page.title | nosuchfilter }}"),
        )
        .file("templates/404.html", "{{ nosuch_function() }}\n");
    let run = site.build_fails();
    run.assert_points_at("templates/page.html", 3)
        .assert_points_at("templates/page.html", 4)
        .assert_points_at("templates/404.html", 1)
        .assert_stderr_has("nosuchfilter")
        .assert_stderr_has("nosuch_function");
}

#[test]
fn a_site_can_replace_a_component_of_the_default_theme() {
    // The site's components.html replaces the theme's: a brand card of its own, the rest kept.
    let theme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/templates/components.html"),
    )
    .expect("the default theme's components");
    let start = theme.find("{% component brand_card(").expect("brand_card");
    let close = "{%- endcomponent brand_card %}";
    let end = theme.find(close).expect("its end") + close.len();
    let mine = format!(
        "{}{{% component brand_card(b: map, level: integer = 3) %}}<article class=\"my-card\"><a href=\"{{{{ b.url }}}}\">{{{{ b.name }}}}</a></article>{{% endcomponent brand_card %}}{}",
        &theme[..start],
        &theme[end..]
    );
    let site = one_report_site().file("templates/components.html", &mine);
    let built = site.build();
    for url in ["/", "/brands/"] {
        let page = built.page(url);
        assert_eq!(
            page.count("article.my-card"),
            1,
            "{url}: the site's card is not used"
        );
        assert_eq!(
            page.count("article.brand-card"),
            0,
            "{url}: the theme's card is still there"
        );
        assert_eq!(page.text("article.my-card a"), "三家工作法");
    }
}

#[test]
fn optional_values_written_the_tera_2_way_build() {
    let site = one_report_site().file(
        "templates/page.html",
        &page_template(
            "<h1>{{ page.title }}</h1><p class=\"note\">{{ page.extra.note or \"无\" }}</p>{% if page.extra.missing %}<p>x</p>{% endif %}",
        ),
    );
    let built = site.build();
    let page = built.page("/cases/a/");
    assert_eq!(page.text("p.note"), "无");
}
