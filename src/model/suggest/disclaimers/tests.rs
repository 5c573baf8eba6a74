//! Tests of the disclaimer suggester.

use super::*;

fn passages(text: &str) -> Vec<&str> {
    let quotes = super::super::quotes::find(text);
    find(text, &quotes)
        .into_iter()
        .filter_map(|r| text.get(r))
        .collect()
}

#[test]
fn patterns_build_and_agree_with_the_plain_search() {
    assert!(anchor_regex().is_some());
    assert!(cue_regexes().is_some());
    for s in [
        "this is not investment advice.",
        "you could lose all of your money.",
        "the risk is high.",
        "the shares closed at $12.",
        "consult your doctor.",
        "投资有风险。",
        "市场存在风险。",
    ] {
        assert_eq!(sentence_cue(s), slow_sentence_cue(s), "{s}");
    }
}

#[test]
fn inline_heading_starts_the_span() {
    let text = "Prices rose 3%.\nRisk Warning and Disclaimer: This article is for reference only. \
                Trading CFDs involves high leverage. Any decisions are at your own risk.";
    assert_eq!(
        passages(text),
        vec![
            "Risk Warning and Disclaimer: This article is for reference only. \
              Trading CFDs involves high leverage. Any decisions are at your own risk."
        ]
    );
}

#[test]
fn heading_on_its_own_line_joins_the_passage() {
    let text = "Sales rose.\nForward-Looking Statements\nThis release contains forward-looking \
                statements. Verdana undertakes no obligation to update them.\nMedia contact: x";
    assert_eq!(
        passages(text),
        vec![
            "Forward-Looking Statements\nThis release contains forward-looking statements. \
              Verdana undertakes no obligation to update them."
        ]
    );
}

#[test]
fn heading_line_and_passage_separated_by_a_blank_line() {
    let text = "Sales rose.\n\nDISCLAIMER\n\nThe content is provided for general information \
                only.\n\nWe accept no liability for any loss.";
    assert_eq!(
        passages(text),
        vec![
            "DISCLAIMER\n\nThe content is provided for general information only.\n\n\
              We accept no liability for any loss."
        ]
    );
}

#[test]
fn passage_at_the_top_does_not_run_into_the_article() {
    let text = "Editor's note: This article is for informational purposes only.\n\
                Crypto risk rises\n\
                Bitcoin fell 8% on Friday, raising the risk of a deeper slide. Ether fell too.";
    assert_eq!(
        passages(text),
        vec!["Editor's note: This article is for informational purposes only."]
    );
    let text = "Editor's note: This article is for informational purposes only.\n\
                Bitcoin fell 8% on Friday, raising the risk of a deeper slide. Ether fell too.";
    assert_eq!(
        passages(text),
        vec!["Editor's note: This article is for informational purposes only."]
    );
}

#[test]
fn editors_note_at_the_top() {
    let text = "Editor's note: This guide is for informational purposes only and is not \
                legal advice. Rates change frequently.\nMortgage rates rose this week.";
    assert_eq!(
        passages(text),
        vec![
            "Editor's note: This guide is for informational purposes only and is not \
              legal advice. Rates change frequently."
        ]
    );
}

#[test]
fn editors_note_without_cue_is_not_a_disclaimer() {
    assert!(
        passages("Editor's note: This story was updated on Monday to correct a name.").is_empty()
    );
}

#[test]
fn medical_disclaimer_without_heading() {
    let text = "Results are expected in 2028.\nThis article is for general information only and \
                is not a substitute for professional medical advice. Do not stop any medication \
                without talking to your GP.";
    assert_eq!(passages(text).len(), 1);
    assert!(
        passages(text)
            .first()
            .is_some_and(|p| p.starts_with("This article") && p.ends_with("your GP."))
    );
}

#[test]
fn disclaimer_sentence_inside_a_paragraph() {
    let text = "The shares closed at $12. This is not investment advice.";
    assert_eq!(passages(text), vec!["This is not investment advice."]);
}

#[test]
fn article_sentences_after_a_disclaimer_sentence_are_not_part_of_it() {
    let text = "This is not investment advice. Bitcoin fell 8% on Friday. Ether fell 12%.";
    assert_eq!(passages(text), vec!["This is not investment advice."]);
}

#[test]
fn reported_advice_is_not_a_disclaimer() {
    let text = "Doctors told patients to consult their physician before stopping statins, \
                the study said. \"Past performance is no guarantee,\" the fund manager said.";
    assert!(passages(text).is_empty());
}

#[test]
fn every_cue_contains_an_anchor() {
    // A cue without an anchor would never be looked for.
    for phrase in STRONG_PHRASES
        .iter()
        .chain(LOSS_PHRASES)
        .chain(CONSULT_VERBS)
    {
        assert!(
            ANCHORS.iter().any(|a| phrase.contains(a)),
            "no anchor for {phrase:?}"
        );
    }
}

#[test]
fn advice_to_consult_a_doctor_in_the_body_is_not_a_disclaimer() {
    let text = "Heat is dangerous.\nThe county recorded 645 deaths.\n\
                If you feel dizzy, talk to your doctor before you take more pills.\n\
                Cooling centres opened on Monday.\nMore centres open next week.\n\
                The city will review the plan.\nOfficials met on Friday.";
    assert!(passages(text).is_empty());
    let at_the_end = "Heat is dangerous.\nThe county recorded 645 deaths.\n\
                      Cooling centres opened on Monday.\nOfficials met on Friday.\n\
                      Always consult your doctor before changing any medication.";
    assert_eq!(
        passages(at_the_end),
        vec!["Always consult your doctor before changing any medication."]
    );
}

#[test]
fn investment_risk_wording_without_the_word_advice() {
    let text = "Shares rose 2%.\nInvesting involves risk, including possible loss of \
                principal. The opinions expressed are solely those of the author.";
    assert_eq!(
        passages(text),
        vec![
            "Investing involves risk, including possible loss of principal. The opinions \
              expressed are solely those of the author."
        ]
    );
}

#[test]
fn section_heading_with_risk_is_not_a_disclaimer_heading() {
    let text = "Risks to the outlook\nInflation could rise again, economists said.";
    assert!(passages(text).is_empty());
}

#[test]
fn sponsorship_disclosure() {
    let text = "Rates rose.\nSponsored: This post was produced in partnership with Acme Bank.";
    assert_eq!(
        passages(text),
        vec!["Sponsored: This post was produced in partnership with Acme Bank."]
    );
    assert!(passages("The bill, sponsored by Sen. Lee, passed on Friday.").is_empty());
}

#[test]
fn chinese_and_japanese_disclaimers() {
    let text =
        "道指下跌0.3%。\n免责声明：本文仅供参考，不构成任何投资建议。投资有风险，入市需谨慎。";
    assert_eq!(
        passages(text),
        vec!["免责声明：本文仅供参考，不构成任何投资建议。投资有风险，入市需谨慎。"]
    );
    let text = "株価は上昇した。\n本記事は情報提供を目的としており、投資勧誘を目的とするものではありません。\
                投資判断はご自身の責任でお願いします。";
    assert_eq!(
        passages(text),
        vec![
            "本記事は情報提供を目的としており、投資勧誘を目的とするものではありません。\
              投資判断はご自身の責任でお願いします。"
        ]
    );
}

#[test]
fn wording_from_the_wild() {
    let body = "Shares of Acme rose 4% on Tuesday after the company beat forecasts.\n";
    for disclaimer in [
        "The information provided in this article is general in nature and does not take \
         into account your personal objectives or financial situation.",
        "Investing in securities involves risks, and there is always the potential of \
         losing money when you invest in securities.",
        "Nothing on this site constitutes a solicitation or offer to buy or sell any security.",
        "Cryptocurrency is a high-risk asset class. Never invest more than you can afford \
         to lose.",
        "All information is believed to be accurate at the time of publication, but we \
         cannot guarantee its accuracy.",
        "Health information on this site is not a replacement for a consultation with \
         your doctor.",
    ] {
        let text = format!("{body}{disclaimer}");
        assert_eq!(passages(&text), vec![disclaimer], "{disclaimer}");
    }
    assert!(passages("Nothing in this bill prevents states from acting, he said.").is_empty());
}

#[test]
fn two_headed_passages_stay_apart() {
    let text =
        "Risk disclosure: You could lose all of your money.\nDisclosure: The author holds bitcoin.";
    assert_eq!(
        passages(text),
        vec![
            "Risk disclosure: You could lose all of your money.",
            "Disclosure: The author holds bitcoin."
        ]
    );
}
