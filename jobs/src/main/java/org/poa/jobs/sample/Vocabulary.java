package org.poa.jobs.sample;

import java.util.List;
import java.util.SplittableRandom;

/** Word lists the sample world writes its texts from. */
final class Vocabulary {

    /** Persian words, many with ی and ک so the Arabic-variant folding matters; می‌ verbs carry a ZWNJ. */
    static final List<String> PERSIAN = List.of(
            "یک", "کتاب", "دریا", "کوه", "شب", "ماه", "عشق", "دل", "گل", "باران", "نسیم", "یار", "کنار", "من",
            "تو", "که", "این", "آن", "بی", "کجا", "چرا", "سایه", "پرنده", "آسمان", "زمین", "خاک", "آتش", "آب",
            "باد", "روز", "سحر", "ستاره", "خورشید", "جان", "نگاه", "لبخند", "اشک", "راه", "کوچه", "خانه",
            "دیوار", "پنجره", "باغ", "بلبل", "سرو", "شیرین", "تلخ", "کهنه", "تازه", "دیرین", "یاد", "فریاد",
            "سکوت", "آواز", "ترانه", "شعر", "غزل", "رباعی", "کاروان", "بیابان", "شکوفه", "بهار", "پاییز",
            "زمستان", "تابستان", "کبوتر", "پیمانه", "ساقی", "میخانه", "رندی", "حافظ", "سعدی", "مولانا",
            "می\u200cخواهم", "می\u200cروم", "می\u200cخوانم", "می\u200cبینم", "می\u200cآید", "می\u200cگوید",
            "نمی\u200cدانم", "بیایی", "بمانی", "کاشکی", "دیگر", "هرگز", "همیشه", "اکنون", "یکی", "کسی",
            "هیچ", "همه", "بسیار", "اندک", "نیک", "بد", "زیبا", "پنهان", "پیدا", "دور", "نزدیک", "کران");

    static final List<String> ENGLISH = List.of(
            "the", "a", "river", "mountain", "city", "morning", "evening", "light", "shadow", "road", "window",
            "garden", "quiet", "old", "new", "bright", "dark", "slow", "quick", "brown", "fox", "dog", "house",
            "market", "letter", "story", "history", "people", "harbor", "ship", "north", "south", "winter",
            "summer", "autumn", "spring", "bread", "salt", "stone", "bridge", "tower", "field", "forest",
            "teacher", "student", "book", "page", "word", "sentence", "language", "machine", "engine", "train",
            "station", "ticket", "journey", "walked", "ran", "spoke", "wrote", "read", "found", "lost", "kept",
            "opened", "closed", "under", "over", "through", "between", "before", "after", "while", "because",
            "and", "but", "or", "so", "then", "there", "here", "always", "never", "often", "seldom", "almost",
            "every", "each", "many", "few", "little", "much", "first", "last", "second", "third", "2026", "1848",
            "seven", "twelve", "hundred", "thousand", "minister", "council", "law", "court", "river's", "o'clock");

    static final List<String> POSITIVE = List.of("good", "great", "excellent", "lovely", "happy", "delightful",
            "wonderful", "superb", "pleasant", "enjoyed", "recommend", "best", "fantastic", "charming", "fresh");

    static final List<String> NEGATIVE = List.of("bad", "awful", "terrible", "poor", "sad", "boring", "broken",
            "worst", "disappointing", "rude", "stale", "noisy", "slow", "waste", "refund");

    static final List<String> NEUTRAL = List.of("the", "food", "service", "room", "staff", "price", "movie",
            "phone", "book", "hotel", "was", "is", "very", "quite", "really", "and", "but", "it", "this", "our");

    private Vocabulary() {
    }

    static String pick(List<String> words, SplittableRandom random) {
        return words.get(random.nextInt(words.size()));
    }
}
