//! Tests of the claim suggester.

use super::*;

/// The claims `find` returns for `text`, as strings.
fn claimed(text: &str) -> Vec<&str> {
    let quotes = super::super::quotes::find(text);
    let disclaimers = super::super::disclaimers::find(text, &quotes);
    find(text, &quotes, &disclaimers)
        .into_iter()
        .filter_map(|r| text.get(r))
        .collect()
}

#[test]
fn figure_with_a_named_actor_is_a_claim() {
    assert_eq!(
        claimed("Washington has also imposed a 25% tariff on goods imported from India."),
        vec!["Washington has also imposed a 25% tariff on goods imported from India"]
    );
}

#[test]
fn cut_before_and_with_a_new_subject() {
    assert_eq!(
        claimed(
            "However, this shift is still incomplete, and Washington has not fulfilled its threat to impose sanctions on Russian energy exports."
        ),
        vec![
            "Washington has not fulfilled its threat to impose sanctions on Russian energy exports"
        ]
    );
}

#[test]
fn no_cut_before_and_with_the_same_subject() {
    assert_eq!(
        claimed(
            "Washington imposed a 25% tariff on India in May, and urged other countries to follow."
        ),
        vec![
            "Washington imposed a 25% tariff on India in May, and urged other countries to follow"
        ]
    );
}

#[test]
fn cut_at_but_and_semicolon() {
    let got = claimed(
        "Putin greeted Trump with a broad smile in Alaska, but the mood soon changed. \
         The city has committed $310 million from a sales tax approved in 2022; the rest is uncertain.",
    );
    assert_eq!(
        got,
        vec![
            "Putin greeted Trump with a broad smile in Alaska",
            "The city has committed $310 million from a sales tax approved in 2022"
        ]
    );
}

#[test]
fn direct_speech_and_its_attribution_are_not_claims() {
    assert!(
        claimed("\"We raised $5 million in 2024,\" said one person familiar with the talks.")
            .is_empty()
    );
    assert!(
        claimed(
            "“Tonight we told them help is coming,” Mayor Elena Ruiz told reporters on Tuesday."
        )
        .is_empty()
    );
}

#[test]
fn short_clause_with_a_figure() {
    assert_eq!(
        claimed("Ether dropped 12% to $2,610, while Solana lost 15%."),
        vec!["Ether dropped 12% to $2,610", "Solana lost 15%"]
    );
}

#[test]
fn forecast_with_figures_is_not_a_claim() {
    assert!(
        claimed("That number could rise to 1.4 million by 2040 as the population ages.").is_empty()
    );
    assert!(claimed("Verdana expects revenue of $90 million to $95 million in 2026.").is_empty());
}

#[test]
fn reported_statement_without_quotes_is_a_claim() {
    assert_eq!(
        claimed(
            "US officials informed their allies that an agreement had suddenly become possible."
        ),
        vec!["US officials informed their allies that an agreement had suddenly become possible"]
    );
}

#[test]
fn opinions_and_forecasts_are_not_claims() {
    assert!(
        claimed("I think these mandates are a mistake, and I think most bosses know it.")
            .is_empty()
    );
    assert!(
        claimed("Bitcoin could fall further if US data keeps disappointing next month.").is_empty()
    );
    assert!(claimed("What should companies do in 2025 instead?").is_empty());
}

#[test]
fn trailing_which_clause_is_cut_but_parenthetical_is_not() {
    assert_eq!(
        claimed(
            "The FHA cut its premium to 0.55% in March 2023, which lowered costs by $800 a year."
        ),
        vec![
            "The FHA cut its premium to 0.55% in March 2023",
            "which lowered costs by $800 a year"
        ]
    );
    assert_eq!(
        claimed(
            "The association, which represents 200 merchants, had asked the council to wait until May."
        ),
        vec![
            "The association, which represents 200 merchants, had asked the council to wait until May"
        ]
    );
}

#[test]
fn list_items_without_a_full_stop_are_read() {
    assert_eq!(
        claimed("- Net income of $6.1 million, versus a loss of $2.3 million"),
        vec!["Net income of $6.1 million, versus a loss of $2.3 million"]
    );
}

#[test]
fn headlines_and_datelines_are_not_claims() {
    assert!(claimed("Council approves $1.4 billion light-rail extension on Tuesday").is_empty());
    assert!(claimed("Sabado Oct 18 2025 00:00").is_empty());
}

#[test]
fn no_claims_inside_disclaimers() {
    assert!(
        claimed("Disclaimer: Past performance since 2020 is not a guarantee of future results.")
            .is_empty()
    );
}

#[test]
fn japanese_sentence_with_figures_is_a_claim_but_quoted_speech_is_not() {
    assert_eq!(
        claimed(
            "農林水産省は16日、コメ5キロの平均価格が4,176円だったと発表した。大臣は「価格が下がり始めたのは良い兆しだ」と述べた。"
        ),
        vec!["農林水産省は16日、コメ5キロの平均価格が4,176円だったと発表した"]
    );
}
