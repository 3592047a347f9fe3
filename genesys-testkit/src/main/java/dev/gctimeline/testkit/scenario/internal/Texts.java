package dev.gctimeline.testkit.scenario.internal;

import java.util.List;

/**
 * Names and phrases with multi-byte UTF-8 on purpose (umlauts, CJK, emoji), so every decoder path
 * sees two-, three- and four-byte sequences and surrogate pairs.
 */
final class Texts {
    private Texts() {
    }

    static final List<String> CUSTOMER_NAMES = List.of(
            "Jürgen Müller", "Zoë Weiß", "Søren Ødegård", "María José Núñez", "Chloé Dubois",
            "Ólafur Þórsson", "Emma Smith", "François Ñúñez");

    static final List<String> CJK_CUSTOMER_NAMES = List.of("佐藤 花子", "王 小明", "Łukasz Żółć", "Ayşe Yılmaz", "김 민준");

    static final List<String> AGENT_NAMES = List.of(
            "Anna Schmidt", "Ben Öztürk", "Clara Weiß", "田中 太郎", "David Green", "Elif Sahin",
            "François Lefèvre", "Greta Nüßlein", "Hannah Berg", "Igor Dvorák", "Jana Kühn", "李 娜");

    static final List<String> QUEUE_NAMES = List.of("Kundendienst", "Sales EMEA", "Billing & Rückerstattung", "サポート");

    /** Utterances per language: German, English, Japanese, Chinese. */
    static final List<List<String>> SENTENCES = List.of(
            List.of("Guten Tag, ich möchte meine Rechnung prüfen.",
                    "Die Überweisung ist leider noch nicht angekommen.",
                    "Können Sie mir die Kündigungsfrist nennen?",
                    "Einen Moment bitte, ich schaue nach.",
                    "Ihre Kundennummer lautet K-4711, richtig?",
                    "Vielen Dank, das hat mir sehr geholfen 👍",
                    "Grüße aus Köln – schönes Wochenende! 🙂"),
            List.of("Hi, I'd like to check my last invoice.",
                    "The parcel still hasn't arrived 😕",
                    "Could you confirm the delivery address?",
                    "Sure, one moment while I look that up.",
                    "Thanks, that's great news! 🎉",
                    "Is there anything else I can help with?"),
            List.of("こんにちは、請求書について確認したいです。",
                    "少々お待ちください。",
                    "配送先の住所を確認させてください。",
                    "ありがとうございます😊",
                    "他にご質問はございますか？"),
            List.of("你好，我想查询我的订单。",
                    "请稍等，我帮您查一下。",
                    "您的包裹明天送达🚚",
                    "谢谢，问题已经解决了👍"));

    static final List<String> LANGUAGES = List.of("de-DE", "en-GB", "ja-JP", "zh-CN");

    static final List<String> INTENTS = List.of("Rückerstattung", "billing", "配送", "réclamation", "Kündigung 📄");

    static final List<String> WRAPUP_NAMES = List.of(
            "Beratung abgeschlossen", "Rückruf vereinbart", "Billing resolved", "Beschwerde", "解決済み");

    static final List<String> WRAPUP_NOTES = List.of(
            "Kunde zufrieden 😊", "Rückruf morgen früh", "請求書を再送", "Adresse geändert: Straße/Weg", "");

    static final List<String> FLOW_OUTCOMES = List.of("Authentifizierung", "Identify Customer", "言語選択");
}
