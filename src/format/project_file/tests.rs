//! Regression tests of the project file format, one module per group.

mod saved_fields {
    use super::super::*;

    /// Format 1 as first shipped wrote `sha256: "…"`, `id: 3` and `text: "…"` as plain
    /// values but read them as `Option`s, which RON only accepts as `Some(…)` by default: every
    /// saved project failed to load with "Expected option".
    #[test]
    fn regression_saved_optional_fields_failed_to_load_as_expected_option()
    -> Result<(), Box<dyn std::error::Error>> {
        let mut project = Project::new(
            Article::new("a", None, "Putin rejected the offer"),
            LabelSet::default(),
        );
        let claim = project.labels().by_name("Claim").ok_or("no Claim label")?;
        let range = CharRange::new(6, 14).ok_or("range")?;
        project.insert_span(Span {
            id: SpanId(3),
            range,
            label: claim,
            note: String::new(),
            status: Status::Confirmed,
        })?;
        let text = project_to_ron(&project)?;
        assert!(
            text.contains("id: 3") && text.contains("sha256: \""),
            "{text}"
        );
        let loaded = project_from_ron(&text, Path::new("a.ron"))?;
        assert_eq!(loaded.warnings, Vec::<String>::new());
        assert_eq!(loaded.project, project);
        // Explicit options, as an older hand-written file might have them, still load.
        let explicit = text
            .replace("id: 3", "id: Some(3)")
            .replace("sha256: \"", "sha256: None, x: \"");
        assert_eq!(
            project_from_ron(&explicit, Path::new("a.ron"))?.project,
            project
        );
        Ok(())
    }
}

mod file_encoding {
    use super::super::*;

    fn project_with_a_span_across_a_line_break() -> Result<Project, Box<dyn std::error::Error>> {
        let mut project = Project::new(
            Article::new("a", None, "Putin rejected\nthe offer"),
            LabelSet::default(),
        );
        let claim = project.labels().by_name("Claim").ok_or("no Claim label")?;
        project.insert_span(Span {
            id: SpanId(0),
            range: CharRange::new(6, 18).ok_or("range")?,
            label: claim,
            note: "two\nlines".to_owned(),
            status: Status::Confirmed,
        })?;
        Ok(project)
    }

    /// A project file saved by a Windows editor starts with a byte-order mark, which RON
    /// reported as a syntax error at line 1, column 1.
    #[test]
    fn regression_a_project_file_starting_with_a_bom_did_not_load()
    -> Result<(), Box<dyn std::error::Error>> {
        let project = project_with_a_span_across_a_line_break()?;
        let text = format!("\u{feff}{}", project_to_ron(&project)?);
        let loaded = project_from_ron(&text, Path::new("bom.ron"))?;
        assert_eq!(loaded.warnings, Vec::<String>::new());
        assert_eq!(loaded.project, project);
        Ok(())
    }

    /// After a CRLF conversion (`git` with `autocrlf`), a span's stored text has `\r\n` where
    /// the normalised article has `\n`, so every span across a line break became an orphan.
    #[test]
    fn regression_crlf_converted_files_orphaned_spans_across_line_breaks()
    -> Result<(), Box<dyn std::error::Error>> {
        let project = project_with_a_span_across_a_line_break()?;
        let crlf = project_to_ron(&project)?.replace('\n', "\r\n");
        let loaded = project_from_ron(&crlf, Path::new("crlf.ron"))?;
        assert_eq!(loaded.project.orphans(), &[], "{:?}", loaded.warnings);
        assert_eq!(loaded.project.spans().len(), 1);
        assert_eq!(loaded.project.article().text(), project.article().text());
        // The normalisation itself is reported, so that the analyst knows the file changed.
        assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
        Ok(())
    }
}

mod load_regressions {
    use super::super::*;

    /// `text: "\u{feff}"` passed the emptiness check (a BOM is not whitespace), loaded as an
    /// empty article, and then the saved file did not load ("article.text is empty").
    #[test]
    fn regression_a_text_of_only_byte_order_marks_loaded_as_an_empty_article() {
        let text = "(format: 1, article: (text: \"\u{feff}\u{feff} \"), labels: [(name: \"C\", color: \"#000000\")])";
        let err = project_from_ron(text, Path::new("bom.ron")).err();
        assert!(
            matches!(&err, Some(LoadError::Invalid { problem, .. }) if problem == "article.text is empty"),
            "{err:?}"
        );
    }

    /// A span stored with `id: 18446744073709551615` made the span set compute `id + 1` and
    /// panic on overflow (debug) or wrap to 0 and hand out used ids (release).
    #[test]
    fn regression_a_span_id_of_u64_max_overflowed_on_load() -> Result<(), Box<dyn std::error::Error>>
    {
        let text = r##"(format: 1, article: (text: "Putin rejected the offer"),
            labels: [(name: "Claim", color: "#E8911E")],
            spans: [(id: 18446744073709551615, start: 6, end: 14, label: "Claim"),
                    (id: 9007199254740992, start: 0, end: 5, label: "Claim")],
            orphans: [(id: 18446744073709551614)])"##;
        let loaded = project_from_ron(text, Path::new("ids.ron"))?;
        let p = &loaded.project;
        assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
        assert!(
            loaded
                .warnings
                .iter()
                .all(|w| w.contains("above the largest id")),
            "{:?}",
            loaded.warnings
        );
        let mut ids: Vec<u64> = p
            .spans()
            .iter()
            .map(|s| s.id.0)
            .chain(p.orphans().iter().map(|o| o.id.0))
            .collect();
        ids.sort_unstable();
        assert_eq!(ids, [MAX_ID, MAX_ID + 1, MAX_ID + 2]);
        // A new span still gets an id of its own.
        let fresh = p.fresh_id().0;
        assert!(!ids.contains(&fresh), "{fresh}");
        Ok(())
    }
}
